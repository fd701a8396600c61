package org.byov.orchestrator.runs;

import java.util.Optional;
import java.util.regex.Pattern;
import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.EvaluationSpec;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ModelArtifact;
import org.byov.orchestrator.registry.ModelRegistry;
import org.byov.orchestrator.registry.ModelVersionView;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Resolves the model references of a run spec's evaluation options, {@code baselineModel} and a
 * non-run-id {@code alignWith}, to registered versions. A reference is {@code name}, meaning the
 * model's production version at the time of resolving, or {@code name:version}. A run id in
 * {@code alignWith} (or {@code baselineRun}) is not a reference and is left to the eval-service.
 *
 * <p>The run is checked when it is created and resolved again when its EVAL task is created, so
 * the task evaluates against what the registry contains then. An on-demand evaluation of a
 * registered version resolves the references of that version's run spec again, in the same way.
 */
@Component
public class ModelReferences {

  public static final String BASELINE_FIELD = "evaluation.baselineModel";
  public static final String ALIGN_FIELD = "evaluation.alignWith";

  private static final Pattern RUN_ID = Pattern.compile(RunSpec.UUID_PATTERN);

  /** Alignment compares with a model that predicts with its own classifier. */
  private static final String SUPERVISED_BBB = "supervised-bbb";

  private final ModelRegistry registry;
  private final RunRepository runs;

  public ModelReferences(ModelRegistry registry, RunRepository runs) {
    this.registry = registry;
    this.runs = runs;
  }

  /** The resolved models of a spec; each is null when the spec names none. */
  public record Resolved(ModelArtifact baseline, ModelArtifact alignWith) {

    /** Describes what was resolved, for the run's event log; empty when nothing was. */
    public Optional<String> describe() {
      if (baseline == null && alignWith == null) {
        return Optional.empty();
      }
      StringBuilder text = new StringBuilder("Resolved");
      if (baseline != null) {
        text.append(" baseline ").append(baseline.label());
      }
      if (alignWith != null) {
        text.append(baseline == null ? "" : " and").append(" alignment model ")
            .append(alignWith.label());
      }
      return Optional.of(text.toString());
    }
  }

  /**
   * A reference that names no usable registered version. It carries what is wrong, how a new run
   * spec avoids it, and, where one exists, how a change to the registry makes the same reference
   * resolve. Only the last applies to a stored run spec, which cannot change.
   */
  public static final class UnresolvedReferenceException extends RuntimeException {

    private final String field;
    private final String reason;
    private final String specFix;
    private final String registryFix;

    UnresolvedReferenceException(String field, String reason, String specFix, String registryFix) {
      super(field + ": " + reason + "; " + specFix);
      this.field = field;
      this.reason = reason;
      this.specFix = specFix;
      this.registryFix = registryFix;
    }

    public String field() {
      return field;
    }

    /** Returns what is wrong with the reference, without a fix. */
    public String reason() {
      return reason;
    }

    /** Returns the registry change that makes the reference resolve, or empty when none does. */
    public Optional<String> registryFix() {
      return Optional.ofNullable(registryFix);
    }

    /** Creates the 422 problem of a run that cannot be created with this reference. */
    public ApiProblemException toProblem() {
      return ApiProblemException.unprocessableField(field, reason + "; " + specFix);
    }
  }

  /**
   * Resolves the spec's model references.
   *
   * @throws UnresolvedReferenceException naming the first field whose reference does not resolve
   */
  public Resolved resolve(EvaluationSpec evaluation) {
    ModelArtifact baseline = evaluation.baselineModel() == null ? null
        : resolve(BASELINE_FIELD, evaluation.baselineModel());
    ModelArtifact alignWith = null;
    String align = evaluation.alignWith();
    if (align != null && !RUN_ID.matcher(align).matches()) {
      ModelVersionView version = version(ALIGN_FIELD, align);
      requireSupervised(align, version);
      alignWith = artifact(version);
    }
    return new Resolved(baseline, alignWith);
  }

  private ModelArtifact resolve(String field, String reference) {
    return artifact(version(field, reference));
  }

  private ModelVersionView version(String field, String reference) {
    int colon = reference.indexOf(':');
    String name = colon < 0 ? reference : reference.substring(0, colon);
    try {
      if (colon < 0) {
        return registry.production(name);
      }
      return registry.version(name, Integer.parseInt(reference.substring(colon + 1)));
    } catch (ApiProblemException e) {
      if (e.status() != HttpStatus.NOT_FOUND) {
        throw e;
      }
      throw notFound(field, name, reference, colon < 0);
    }
  }

  /** Describes why a reference found no version, and how to name or register one that exists. */
  private UnresolvedReferenceException notFound(
      String field, String name, String reference, boolean production) {
    int latest;
    try {
      // Newest first.
      latest = registry.versions(name).get(0).version();
    } catch (ApiProblemException e) {
      return new UnresolvedReferenceException(field, "no model '" + name + "' is registered",
          "name a registered model (GET /api/v1/models) as name or name:version",
          "register a model named '" + name + "' (a run with that modelName)");
    }
    if (production) {
      return new UnresolvedReferenceException(field,
          "model '" + name + "' has no production version",
          "give a version such as " + name + ":" + latest + ", or promote one first",
          "promote a version of '" + name + "' (POST /api/v1/models/" + name
              + "/versions/{version}:promote)");
    }
    return new UnresolvedReferenceException(field,
        "model '" + name + "' has no version " + reference.substring(name.length() + 1)
            + "; its latest version is " + latest,
        "name an existing version (GET /api/v1/models/" + name + "/versions)",
        null);
  }

  private void requireSupervised(String reference, ModelVersionView version) {
    String method = runs.find(version.runId()).map(RunRow::method).orElse(null);
    if (method != null && !SUPERVISED_BBB.equals(method)) {
      boolean production = reference.indexOf(':') < 0;
      throw new UnresolvedReferenceException(ALIGN_FIELD,
          "'" + reference + "' resolves to " + version.name() + ":" + version.version()
              + ", which was trained with " + method,
          "uncertainty alignment needs a " + SUPERVISED_BBB + " model",
          production
              ? "promote a " + SUPERVISED_BBB + " version of '" + version.name() + "'"
              : null);
    }
  }

  private static ModelArtifact artifact(ModelVersionView version) {
    return new ModelArtifact(version.name(), version.version(), version.artifactUri());
  }
}
