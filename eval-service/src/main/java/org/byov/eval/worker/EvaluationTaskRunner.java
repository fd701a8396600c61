package org.byov.eval.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.byov.common.run.EvaluationSpec;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.ModelArtifact;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskResult;
import org.byov.core.data.DatasetNotFoundException;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.InvalidDatasetException;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationSuite;
import org.byov.core.eval.suite.SuiteModel;
import org.byov.core.eval.suite.SuiteOptions;
import org.byov.core.probe.LinearProbe;
import org.byov.eval.config.EvalProperties;
import org.byov.eval.evaluations.EvaluationStore;
import org.byov.eval.evaluations.ReportFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed EVAL task. It loads the model, and the baseline and alignment models when the
 * run spec names them. A directory whose checksums do not match fails the task as not retryable.
 * It runs the suite while a heartbeat keeps the lease, renders the report, stores every number in
 * one transaction and completes the task with the evaluation id, the headline metrics and the
 * abstain threshold.
 *
 * <p>A baseline or alignment model named by registry reference comes resolved in the task input
 * ({@link TaskInput#baselineModel()}, {@link TaskInput#alignWithModel()}); one named by run id
 * lies at {@code runs/{runId}/model/} under the artifacts root.
 *
 * <p>The suite stops at its next stage when a heartbeat reports a cancel or a lost lease, or when
 * the service shuts down. On shutdown the task is released: the orchestrator queues it again at
 * once with the same attempt number, and the next claim runs the evaluation from the beginning.
 */
@Component
public class EvaluationTaskRunner {

  private static final Logger log = LoggerFactory.getLogger(EvaluationTaskRunner.class);

  /** Error of an evaluation row whose task was released by a shutdown. */
  static final String RELEASED_ERROR = "released: the eval-service shut down before the"
      + " evaluation finished, so the task is queued again and its next claim evaluates again";

  private final EvaluationStore store;
  private final ReportFiles reports;
  private final ModelLoader loader;
  private final EvalMetrics metrics;
  private final EvalProperties properties;
  private final String codeVersion;

  public EvaluationTaskRunner(EvaluationStore store, ReportFiles reports, ModelLoader loader,
      EvalMetrics metrics, EvalProperties properties) {
    this.store = store;
    this.reports = reports;
    this.loader = loader;
    this.metrics = metrics;
    this.properties = properties;
    String version = EvaluationTaskRunner.class.getPackage().getImplementationVersion();
    this.codeVersion = version == null ? "development" : version;
  }

  /** The reason an evaluation stops before its end. */
  private enum StopReason {
    CANCEL_REQUESTED,
    LEASE_LOST,
    SHUTDOWN
  }

  /** Thrown from the suite's progress callback to stop at the next stage. */
  private static final class Stopped extends RuntimeException {
    private final StopReason reason;

    Stopped(StopReason reason) {
      super("Evaluation stopped: " + reason);
      this.reason = reason;
    }
  }

  /**
   * Runs {@code task} to its end and reports the outcome through {@code client}, without stopping
   * for a shutdown.
   */
  public void run(ClaimedTask task, TaskClient client) {
    run(task, client, () -> false);
  }

  /**
   * Runs {@code task} to its end and reports the outcome through {@code client}. Once {@code
   * shutdownRequested} returns true, the evaluation stops at its next stage and the task is
   * released. A task that has not started evaluating yet is released at once.
   */
  public void run(ClaimedTask task, TaskClient client, BooleanSupplier shutdownRequested) {
    long started = System.nanoTime();
    MDC.put("taskId", String.valueOf(task.taskId()));
    MDC.put("runId", String.valueOf(task.runId()));
    UUID evaluationId = null;
    try (TaskHeartbeat heartbeat = new TaskHeartbeat(client, task.taskId(), task.fencingToken(),
        task.heartbeatSeconds())) {
      if (shutdownRequested.getAsBoolean()) {
        release(client, task, null, heartbeat, started);
        return;
      }
      String artifactUri = task.input() == null ? null : task.input().artifactUri();
      if (artifactUri == null || artifactUri.isBlank()) {
        fail(client, task, null, "EVAL task " + task.taskId() + " has no input.artifactUri naming"
            + " the model to evaluate", false, started);
        return;
      }
      EvaluationSpec evaluation = task.spec() == null ? EvaluationSpec.defaults()
          : task.spec().evaluation();
      evaluationId = store.start(task.taskId(), task.runId(), task.attempt(), artifactUri,
          task.input().baselineModel(), task.input().alignWithModel());
      MDC.put("evaluationId", evaluationId.toString());
      String unresolved = unresolvedReference(evaluation, task.input());
      if (unresolved != null) {
        fail(client, task, evaluationId, unresolved, false, started);
        return;
      }
      log.info("Evaluating {} for task {} (attempt {})", artifactUri, task.taskId(),
          task.attempt());
      try {
        Evaluated evaluated = evaluate(task, artifactUri, heartbeat, shutdownRequested);
        EvaluationResult result = evaluated.result();
        String reportUri = reports.write(evaluationId, result);
        if (evaluated.probe() != null) {
          reports.saveProbe(evaluationId, evaluated.probe());
        }
        store.saveResult(evaluationId, result, reportUri);
        TaskResult taskResult = TaskResult.evaluated(evaluationId, result.headlineMetrics(),
            result.abstain().threshold(), reportUri);
        heartbeat.close();
        client.complete(task.taskId(), task.fencingToken(), taskResult);
        metrics.finished(EvalMetrics.Outcome.SUCCEEDED, elapsed(started));
        log.info("Completed task {} with evaluation {}: {}", task.taskId(), evaluationId,
            result.headlineMetrics());
      } catch (Stopped e) {
        stopped(client, task, evaluationId, heartbeat, e.reason, started);
      } catch (LeaseLostException e) {
        log.warn("Lost the lease of task {}; another worker owns it now", task.taskId());
        metrics.finished(EvalMetrics.Outcome.LEASE_LOST, elapsed(started));
      } catch (ModelRejectedException e) {
        fail(client, task, evaluationId, e.getMessage(), false, started);
      } catch (DatasetNotFoundException | InvalidDatasetException | IllegalArgumentException e) {
        fail(client, task, evaluationId, "Evaluation of " + artifactUri + " failed: "
            + e.getMessage(), false, started);
      } catch (IOException | RuntimeException e) {
        log.error("Evaluation of task {} failed", task.taskId(), e);
        fail(client, task, evaluationId, "Evaluation of " + artifactUri + " failed: " + e,
            true, started);
      }
    } catch (LeaseLostException e) {
      log.warn("Lost the lease of task {} while reporting its outcome", task.taskId());
      metrics.finished(EvalMetrics.Outcome.LEASE_LOST, elapsed(started));
    } finally {
      MDC.remove("taskId");
      MDC.remove("runId");
      MDC.remove("evaluationId");
    }
  }

  /** A finished evaluation and the linear probe fitted for it (null for a classifier head). */
  private record Evaluated(EvaluationResult result, LinearProbe probe) {}

  private Evaluated evaluate(ClaimedTask task, String artifactUri, TaskHeartbeat heartbeat,
      BooleanSupplier shutdownRequested) throws IOException {
    RunSpec spec = task.spec();
    EvaluationSpec evaluation = spec == null ? EvaluationSpec.defaults() : spec.evaluation();
    SuiteOptions options = options(spec, evaluation);
    TaskInput input = task.input();
    String candidateLabel = input.modelName() == null || input.modelVersion() == null ? null
        : input.modelName() + ":" + input.modelVersion();
    ModelSource candidate = new ModelSource("model", toPath(artifactUri), candidateLabel);
    ModelSource baseline = input.baselineModel() != null
        ? ModelSource.of("baseline", input.baselineModel())
        : ModelSource.ofRun("baseline run", runModelDirectory(evaluation.baselineRun()));
    ModelSource align = input.alignWithModel() != null
        ? ModelSource.of("alignment model", input.alignWithModel())
        : ModelSource.ofRun("alignment run", runModelDirectory(runId(evaluation.alignWith())));

    DatasetRegistry registry = properties.dataRoot() == null ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(properties.dataRoot());
    EvaluationSuite suite = new EvaluationSuite(registry, options, codeVersion);
    try (ModelLoader.LoadedModel model = load(candidate);
        ModelLoader.LoadedModel base = baseline == null ? null : load(baseline);
        ModelLoader.LoadedModel reference = align == null ? null : load(align)) {
      EvaluationSuite.Outcome outcome = suite.run(candidate.label(model.model()),
          base == null ? null : baseline.label(base.model()),
          reference == null ? null : align.label(reference.model()),
          (stage, fraction) -> {
            heartbeat.progress(stage, fraction);
            stopIfRequested(heartbeat, shutdownRequested, fraction);
          });
      return new Evaluated(outcome.result(), outcome.candidateProbe());
    }
  }

  /**
   * Throws {@link Stopped} at a stage boundary of the suite when the task must stop there. A
   * shutdown does not stop the suite's last update (fraction 1), which comes after all its work,
   * so a finished evaluation is still stored and completed.
   */
  private static void stopIfRequested(TaskHeartbeat heartbeat, BooleanSupplier shutdownRequested,
      double fraction) {
    switch (heartbeat.state()) {
      case CANCEL_REQUESTED -> throw new Stopped(StopReason.CANCEL_REQUESTED);
      case LEASE_LOST -> throw new Stopped(StopReason.LEASE_LOST);
      case RUNNING -> {
        if (fraction < 1.0 && shutdownRequested.getAsBoolean()) {
          throw new Stopped(StopReason.SHUTDOWN);
        }
      }
    }
  }

  /**
   * A model directory to load, its role for error messages, and the registered version it is,
   * {@code name:version}, or null.
   */
  private record ModelSource(String role, Path directory, String registeredModel) {

    static ModelSource of(String role, ModelArtifact artifact) {
      return new ModelSource(role + " " + artifact.label(), toPath(artifact.artifactUri()),
          artifact.label());
    }

    static ModelSource ofRun(String role, Path directory) {
      return directory == null ? null : new ModelSource(role, directory, null);
    }

    SuiteModel label(SuiteModel model) {
      return registeredModel == null ? model : model.withRegisteredModel(registeredModel);
    }
  }

  /** Loads a model, naming it in the error when its checksums do not match. */
  private ModelLoader.LoadedModel load(ModelSource source) throws IOException {
    try {
      return loader.load(source.directory());
    } catch (ModelRejectedException e) {
      throw new ModelRejectedException("The " + source.role() + " directory "
          + source.directory() + " was rejected: " + e.getMessage(), e);
    }
  }

  /**
   * Returns why the task cannot run when the run spec names a model reference that the task input
   * does not resolve, or null when it can. Such an input comes from an orchestrator that predates
   * model references, or from an EVAL task created without resolving them. The task then fails
   * rather than evaluate without the comparison that the spec requests.
   */
  static String unresolvedReference(EvaluationSpec evaluation, TaskInput input) {
    if (evaluation.baselineModel() != null && input.baselineModel() == null) {
      return unresolved("evaluation.baselineModel", evaluation.baselineModel());
    }
    if (evaluation.alignWith() != null && runId(evaluation.alignWith()) == null
        && input.alignWithModel() == null) {
      return unresolved("evaluation.alignWith", evaluation.alignWith());
    }
    return null;
  }

  private static String unresolved(String field, String reference) {
    return "The run spec names " + field + " '" + reference + "', but the EVAL task input"
        + " carries no resolved model for it; the orchestrator must resolve model references"
        + " into the input when it creates an EVAL task";
  }

  /** Returns the run id in {@code alignWith}, or null when it is absent or a model reference. */
  private static UUID runId(String alignWith) {
    if (alignWith == null || !alignWith.matches(RunSpec.UUID_PATTERN)) {
      return null;
    }
    return UUID.fromString(alignWith);
  }

  /** Builds the suite options from the run's dataset, seed and evaluation options. */
  SuiteOptions options(RunSpec spec, EvaluationSpec evaluation) {
    SuiteOptions options = SuiteOptions.defaults()
        .withSamples(evaluation.samples())
        .withTargetCoverage(evaluation.targetCoverage())
        .withCorruptions(evaluation.corruptions());
    if (evaluation.oodDataset() != null) {
      options = options.withOodDataset(evaluation.oodDataset());
    }
    String dataset = spec == null ? options.dataset() : spec.dataset();
    long seed = spec == null ? options.seed() : spec.seed();
    List<Integer> severities = properties.severities().isEmpty() ? options.severities()
        : properties.severities();
    return new SuiteOptions(dataset, options.oodDataset(), options.samples(), seed,
        options.validationFraction(), options.targetCoverage(), options.corruptions(), severities,
        options.sparsities(), properties.trainLimit(), properties.testLimit(),
        properties.oodLimit(), options.batchSize(), options.histogramBins(), properties.threads());
  }

  /** Returns {@code runs/{runId}/model/} under the artifacts root, or null without a run. */
  private Path runModelDirectory(UUID runId) {
    if (runId == null) {
      return null;
    }
    return properties.artifactsRoot().resolve("runs").resolve(runId.toString()).resolve("model");
  }

  /** Returns the local path of a {@code file:} URI or a plain path. */
  static Path toPath(String artifactUri) {
    if (artifactUri.startsWith("file:")) {
      return Path.of(URI.create(artifactUri));
    }
    if (artifactUri.contains("://")) {
      throw new IllegalArgumentException("Unsupported artifact URI " + artifactUri
          + ": the eval-service reads file: URIs and paths of the shared artifact store");
    }
    return Path.of(artifactUri);
  }

  private void stopped(TaskClient client, ClaimedTask task, UUID evaluationId,
      TaskHeartbeat heartbeat, StopReason reason, long started) {
    switch (reason) {
      case CANCEL_REQUESTED -> {
        log.info("Task {} was cancelled; stopping its evaluation", task.taskId());
        store.markFailed(evaluationId, "cancelled");
        client.cancelled(task.taskId(), task.fencingToken());
        metrics.finished(EvalMetrics.Outcome.CANCELLED, elapsed(started));
      }
      case LEASE_LOST -> {
        log.warn("Lost the lease of task {}; stopping its evaluation", task.taskId());
        metrics.finished(EvalMetrics.Outcome.LEASE_LOST, elapsed(started));
      }
      case SHUTDOWN -> release(client, task, evaluationId, heartbeat, started);
    }
  }

  /**
   * Gives the task back because the service is shutting down. The heartbeat stops first, so that
   * none is sent after the release. The evaluation row, when there is one, is marked failed until
   * the next claim of the task starts it again.
   */
  private void release(TaskClient client, ClaimedTask task, UUID evaluationId,
      TaskHeartbeat heartbeat, long started) {
    heartbeat.close();
    if (evaluationId != null) {
      store.markFailed(evaluationId, RELEASED_ERROR);
    }
    client.release(task.taskId(), task.fencingToken(),
        "eval-service worker " + properties.workerId() + " is shutting down");
    metrics.finished(EvalMetrics.Outcome.RELEASED, elapsed(started));
    log.info("Released task {} of run {} for another claim (attempt {} stays)", task.taskId(),
        task.runId(), task.attempt());
  }

  private void fail(TaskClient client, ClaimedTask task, UUID evaluationId, String error,
      boolean retryable, long started) {
    log.warn("Task {} failed ({}): {}", task.taskId(), retryable ? "retryable" : "not retryable",
        error);
    String bounded = error.length() > 3900 ? error.substring(0, 3900) + "..." : error;
    if (evaluationId != null) {
      store.markFailed(evaluationId, bounded);
    }
    client.fail(task.taskId(), task.fencingToken(), bounded, retryable);
    metrics.finished(EvalMetrics.Outcome.FAILED, elapsed(started));
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
