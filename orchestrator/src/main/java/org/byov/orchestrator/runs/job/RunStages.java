package org.byov.orchestrator.runs.job;

import java.util.UUID;
import org.byov.common.run.RunSpec;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.registry.ModelRegistry;
import org.byov.orchestrator.runs.ModelReferences;
import org.byov.orchestrator.runs.RunRepository;
import org.byov.orchestrator.runs.RunRow;
import org.byov.orchestrator.runs.RunStatus;
import org.byov.orchestrator.tasks.TaskQueue;
import org.byov.orchestrator.tasks.TaskRow;
import org.byov.orchestrator.tasks.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three step bodies of a run's job. Each reads the run and its task, acts, and returns at
 * once: it never waits for a worker. A stage whose task is unfinished notes the stage in
 * {@code runs.waiting_stage} and exits WAITING.
 */
@Component
public class RunStages {

  /** Stage (and step) names; a stage names the run's task for it. */
  public static final String TRAIN = "train";

  public static final String EVALUATE = "evaluate";
  public static final String REGISTER = "register";

  private static final Logger log = LoggerFactory.getLogger(RunStages.class);

  private final RunRepository runs;
  private final TaskQueue queue;
  private final ModelRegistry registry;
  private final ModelReferences references;
  private final JsonMapper json;

  public RunStages(RunRepository runs, TaskQueue queue, ModelRegistry registry,
      ModelReferences references, JsonMapper json) {
    this.runs = runs;
    this.queue = queue;
    this.registry = registry;
    this.references = references;
    this.json = json;
  }

  /** Creates the TRAIN task once and waits for it. */
  public RepeatStatus train(StepContribution contribution, ChunkContext context) {
    UUID runId = runId(context);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId.toString())) {
      RunRow run = runs.find(runId).orElseThrow();
      if (endedOrCancelled(run, contribution)) {
        return RepeatStatus.FINISHED;
      }
      TaskRow task = queue.ensureTask(runId, TRAIN, TaskKind.TRAIN, TaskInput.none());
      if (waitOrEnd(run, task, contribution)) {
        return RepeatStatus.FINISHED;
      }
      TaskResult result = json.readValue(task.resultJson(), TaskResult.class);
      runs.setArtifact(runId, result.artifactUri());
      return RepeatStatus.FINISHED;
    }
  }

  /**
   * Creates the EVAL task of the trained model once and waits for it. The task input names the
   * trained model and the registered versions that the spec's model references resolve to now. A
   * reference that no longer resolves fails the run before any task is created.
   */
  public RepeatStatus evaluate(StepContribution contribution, ChunkContext context) {
    UUID runId = runId(context);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId.toString())) {
      RunRow run = runs.find(runId).orElseThrow();
      if (endedOrCancelled(run, contribution)) {
        return RepeatStatus.FINISHED;
      }
      TaskResult trained = result(runId, TRAIN);
      runs.markEvaluating(runId);
      TaskRow task = queue.find(runId, EVALUATE).orElse(null);
      if (task == null) {
        TaskInput input = new TaskInput(trained.artifactUri(), trained.inputContract(), null, null);
        try {
          ModelReferences.Resolved models =
              references.resolve(json.readValue(run.specJson(), RunSpec.class).evaluation());
          input = input.withModels(models.baseline(), models.alignWith());
          models.describe().ifPresent(text -> runs.event(runId, "MODELS_RESOLVED", text));
        } catch (ModelReferences.UnresolvedReferenceException e) {
          log.warn("Run {} cannot be evaluated: {}", runId, e.getMessage());
          runs.finish(runId, RunStatus.FAILED, "Cannot create the EVAL task: " + e.getMessage());
          contribution.setExitStatus(new ExitStatus(RunJobConfiguration.RUN_ENDED));
          return RepeatStatus.FINISHED;
        }
        task = queue.ensureTask(runId, EVALUATE, TaskKind.EVAL, input);
      }
      if (waitOrEnd(run, task, contribution)) {
        return RepeatStatus.FINISHED;
      }
      TaskResult evaluated = json.readValue(task.resultJson(), TaskResult.class);
      runs.setEvaluation(runId, evaluated.evaluationId());
      return RepeatStatus.FINISHED;
    }
  }

  /** Registers the model version, promotes it when asked and the gates pass, ends the run. */
  public RepeatStatus register(StepContribution contribution, ChunkContext context) {
    UUID runId = runId(context);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId.toString())) {
      RunRow run = runs.find(runId).orElseThrow();
      if (endedOrCancelled(run, contribution)) {
        return RepeatStatus.FINISHED;
      }
      int version = registry.registerRun(run, result(runId, TRAIN), result(runId, EVALUATE));
      runs.setModelVersion(runId, version);
      runs.finish(runId, RunStatus.SUCCEEDED, null);
      return RepeatStatus.FINISHED;
    }
  }

  /**
   * Ends the step if the run is terminal or a cancel was requested and its tasks have stopped.
   * Returns whether it did.
   */
  private boolean endedOrCancelled(RunRow run, StepContribution contribution) {
    if (run.status().isTerminal()) {
      contribution.setExitStatus(new ExitStatus(RunJobConfiguration.RUN_ENDED));
      return true;
    }
    if (run.cancelRequested() && queue.findByRun(run.id()).stream().allMatch(t -> t.status().isTerminal())) {
      runs.finish(run.id(), RunStatus.CANCELLED, "Run cancelled");
      contribution.setExitStatus(new ExitStatus(RunJobConfiguration.RUN_ENDED));
      return true;
    }
    return false;
  }

  /**
   * Returns true when the step must end now: the task is unfinished (exit WAITING), or it failed
   * or was cancelled (the run ends). Returns false when the task succeeded.
   */
  private boolean waitOrEnd(RunRow run, TaskRow task, StepContribution contribution) {
    switch (task.status()) {
      case SUCCEEDED -> {
        return false;
      }
      case FAILED -> {
        runs.finish(run.id(), RunStatus.FAILED, task.kind() + " task failed after attempt "
            + task.attempt() + ": " + task.lastError());
        contribution.setExitStatus(new ExitStatus(RunJobConfiguration.RUN_ENDED));
        return true;
      }
      case CANCELLED -> {
        runs.finish(run.id(), RunStatus.CANCELLED, "Run cancelled");
        contribution.setExitStatus(new ExitStatus(RunJobConfiguration.RUN_ENDED));
        return true;
      }
      default -> {
        runs.setWaitingStage(run.id(), task.stage());
        log.debug("Run {} waits for {} task {} ({})", run.id(), task.kind(), task.id(), task.status());
        contribution.setExitStatus(new ExitStatus(RunJobConfiguration.WAITING));
        return true;
      }
    }
  }

  private TaskResult result(UUID runId, String stage) {
    TaskRow task =
        queue
            .find(runId, stage)
            .filter(row -> row.status() == TaskStatus.SUCCEEDED)
            .orElseThrow(
                () -> new IllegalStateException("Run " + runId + " has no succeeded " + stage + " task"));
    return json.readValue(task.resultJson(), TaskResult.class);
  }

  private static UUID runId(ChunkContext context) {
    return UUID.fromString(
        context.getStepContext().getStepExecution().getJobParameters().getString(RunLauncher.RUN_ID));
  }
}
