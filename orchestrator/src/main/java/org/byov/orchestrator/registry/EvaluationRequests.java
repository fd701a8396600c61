package org.byov.orchestrator.registry;

import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.RunSpec;
import org.byov.orchestrator.runs.ModelReferences;
import org.byov.orchestrator.runs.RunRepository;
import org.byov.orchestrator.runs.RunRow;
import org.byov.orchestrator.tasks.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an on-demand evaluation request into an EVAL task. It resolves the model references of
 * the evaluated version's run spec ({@code evaluation.baselineModel}, or a model in {@code
 * evaluation.alignWith}) against the registry as it is now, as a run does when its EVAL task is
 * created, and passes the resolved versions to {@link ModelRegistry#evaluate}. This sits between
 * the two because {@link ModelReferences} reads the registry, so the registry cannot use it.
 */
@Service
public class EvaluationRequests {

  private static final Logger log = LoggerFactory.getLogger(EvaluationRequests.class);

  private final ModelRegistry registry;
  private final ModelReferences references;
  private final RunRepository runs;
  private final JsonMapper json;

  public EvaluationRequests(
      ModelRegistry registry, ModelReferences references, RunRepository runs, JsonMapper json) {
    this.registry = registry;
    this.references = references;
    this.runs = runs;
    this.json = json;
  }

  /**
   * Queues an EVAL task for a registered version, with the models its run spec references.
   *
   * @throws ApiProblemException 404 when the version does not exist, or 422 naming the field when
   *     a reference of its run spec no longer resolves. No task is created in either case.
   */
  public TaskRow evaluate(String name, int version, String actor) {
    ModelVersionView model = registry.version(name, version);
    // model_versions.run_id references runs (id), so the run exists.
    RunRow run = runs.find(model.runId()).orElseThrow();
    RunSpec spec = json.readValue(run.specJson(), RunSpec.class);

    ModelReferences.Resolved models;
    try {
      models = references.resolve(spec.evaluation());
    } catch (ModelReferences.UnresolvedReferenceException e) {
      log.warn("Rejected the evaluation of {} version {} requested by {}: {}", name, version, actor, e.getMessage());
      throw problem(name, version, e);
    }
    return registry.evaluate(name, version, actor, models.baseline(), models.alignWith());
  }

  /**
   * Creates the 422 of a stored reference that no longer resolves. The run spec cannot change, so
   * the fix is a registry change that makes the reference resolve, or a new run.
   */
  private static ApiProblemException problem(
      String name, int version, ModelReferences.UnresolvedReferenceException e) {
    String newRun = "train a new version whose run spec names another model";
    String fix = e.registryFix().map(change -> change + ", or " + newRun).orElse(newRun);
    return ApiProblemException.unprocessableField(e.field(),
        e.reason() + ". The run spec of " + name + " version " + version + " names it and cannot"
            + " change, so " + fix);
  }
}
