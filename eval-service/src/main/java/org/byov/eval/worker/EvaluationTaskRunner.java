package org.byov.eval.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.byov.common.run.EvaluationSpec;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskResult;
import org.byov.core.data.DatasetNotFoundException;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.InvalidDatasetException;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationSuite;
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
 * Runs one claimed EVAL task: loads the model (a directory whose checksums do not match fails the
 * task as not retryable), runs the suite while a heartbeat keeps the lease, renders the report,
 * stores every number in one transaction and completes the task with the evaluation id, the
 * headline metrics and the abstain threshold.
 */
@Component
public class EvaluationTaskRunner {

  private static final Logger log = LoggerFactory.getLogger(EvaluationTaskRunner.class);

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

  /** Thrown from the suite's progress callback to stop at the next stage. */
  private static final class Stopped extends RuntimeException {
    private final TaskHeartbeat.State state;

    Stopped(TaskHeartbeat.State state) {
      super("Evaluation stopped: " + state);
      this.state = state;
    }
  }

  /** Runs {@code task} to its end and reports the outcome through {@code client}. */
  public void run(ClaimedTask task, TaskClient client) {
    long started = System.nanoTime();
    MDC.put("taskId", String.valueOf(task.taskId()));
    MDC.put("runId", String.valueOf(task.runId()));
    UUID evaluationId = null;
    try (TaskHeartbeat heartbeat = new TaskHeartbeat(client, task.taskId(), task.fencingToken(),
        task.heartbeatSeconds())) {
      String artifactUri = task.input() == null ? null : task.input().artifactUri();
      if (artifactUri == null || artifactUri.isBlank()) {
        fail(client, task, null, "EVAL task " + task.taskId() + " has no input.artifactUri naming"
            + " the model to evaluate", false, started);
        return;
      }
      evaluationId = store.start(task.taskId(), task.runId(), task.attempt(), artifactUri);
      MDC.put("evaluationId", evaluationId.toString());
      log.info("Evaluating {} for task {} (attempt {})", artifactUri, task.taskId(),
          task.attempt());
      try {
        Evaluated evaluated = evaluate(task, artifactUri, heartbeat);
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
        stopped(client, task, evaluationId, e.state, started);
      } catch (LeaseLostException e) {
        log.warn("Lost the lease of task {}; another worker owns it now", task.taskId());
        metrics.finished(EvalMetrics.Outcome.LEASE_LOST, elapsed(started));
      } catch (ModelRejectedException e) {
        fail(client, task, evaluationId, "Model directory " + artifactUri + " was rejected: "
            + e.getMessage(), false, started);
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

  private Evaluated evaluate(ClaimedTask task, String artifactUri,
      TaskHeartbeat heartbeat) throws IOException {
    RunSpec spec = task.spec();
    EvaluationSpec evaluation = spec == null ? EvaluationSpec.defaults() : spec.evaluation();
    SuiteOptions options = options(spec, evaluation);
    Path baselineDirectory = runModelDirectory(evaluation.baselineRun());
    Path alignDirectory = alignDirectory(evaluation.alignWith());
    if (evaluation.baselineModel() != null) {
      // NOTE: a registry model reference needs its artifact URI in the task input, which the
      // task protocol does not carry yet. The evaluation runs without that baseline.
      log.warn("Task {}: baselineModel {} cannot be resolved by the eval-service; evaluating"
          + " without a baseline", task.taskId(), evaluation.baselineModel());
    }

    DatasetRegistry registry = properties.dataRoot() == null ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(properties.dataRoot());
    EvaluationSuite suite = new EvaluationSuite(registry, options, codeVersion);
    try (ModelLoader.LoadedModel model = loader.load(toPath(artifactUri));
        ModelLoader.LoadedModel baseline = baselineDirectory == null ? null
            : loader.load(baselineDirectory);
        ModelLoader.LoadedModel align = alignDirectory == null ? null
            : loader.load(alignDirectory)) {
      EvaluationSuite.Outcome outcome = suite.run(model.model(),
          baseline == null ? null : baseline.model(), align == null ? null : align.model(),
          (stage, fraction) -> {
            heartbeat.progress(stage, fraction);
            if (heartbeat.state() != TaskHeartbeat.State.RUNNING) {
              throw new Stopped(heartbeat.state());
            }
          });
      return new Evaluated(outcome.result(), outcome.candidateProbe());
    }
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

  private Path alignDirectory(String alignWith) {
    if (alignWith == null) {
      return null;
    }
    try {
      return runModelDirectory(UUID.fromString(alignWith));
    } catch (IllegalArgumentException e) {
      // NOTE: as for baselineModel, a registry reference cannot be resolved here yet.
      log.warn("alignWith {} is a model reference, which the eval-service cannot resolve;"
          + " evaluating without alignment", alignWith);
      return null;
    }
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
      TaskHeartbeat.State state, long started) {
    if (state == TaskHeartbeat.State.CANCEL_REQUESTED) {
      log.info("Task {} was cancelled; stopping its evaluation", task.taskId());
      store.markFailed(evaluationId, "cancelled");
      client.cancelled(task.taskId(), task.fencingToken());
      metrics.finished(EvalMetrics.Outcome.CANCELLED, elapsed(started));
    } else {
      log.warn("Lost the lease of task {}; stopping its evaluation", task.taskId());
      metrics.finished(EvalMetrics.Outcome.LEASE_LOST, elapsed(started));
    }
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
