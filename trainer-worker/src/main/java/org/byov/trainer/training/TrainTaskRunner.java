package org.byov.trainer.training;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.InputContract;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskResult;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.data.DatasetNotFoundException;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.data.InvalidDatasetException;
import org.byov.core.train.TrainingResult;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import org.byov.trainer.artifacts.ModelPublisher;
import org.byov.trainer.artifacts.RunArtifacts;
import org.byov.trainer.config.WorkerProperties;
import org.byov.trainer.metrics.TrainingMetrics;
import org.byov.trainer.runtime.DeviceSelector;
import org.byov.trainer.runtime.TrainingThread;
import org.byov.trainer.tasks.EpochReporter;
import org.byov.trainer.tasks.Heartbeater;
import org.byov.trainer.tasks.TaskControl;
import org.byov.trainer.tasks.TaskOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed TRAIN task to its end. It resumes from the newest valid checkpoint of the run
 * and trains with a checkpoint per epoch under its own attempt directory. Then it does one of:
 * publish the model and complete the task, acknowledge a cancel, release the task on shutdown,
 * report a failure, or, after a 409, stop without writing or calling anything more.
 */
@Component
public class TrainTaskRunner {

  private static final Logger log = LoggerFactory.getLogger(TrainTaskRunner.class);

  private final WorkerProperties properties;
  private final TaskClient client;
  private final TrainingMetrics metrics;
  private final Device device;

  public TrainTaskRunner(
      WorkerProperties properties, TaskClient client, TrainingMetrics metrics, Device device) {
    this.properties = properties;
    this.client = client;
    this.metrics = metrics;
    this.device = device;
  }

  /**
   * Runs {@code task}; {@code control} carries cancel, shutdown and lost-lease signals. However the
   * task ends, the trainer's gauges are reset before this returns.
   */
  public TaskOutcome run(ClaimedTask task, TaskControl control) {
    Heartbeater heartbeater = new Heartbeater(client, task, control);
    EpochReporter reporter = new EpochReporter(client, task, control);
    heartbeater.start();
    try {
      return train(task, control, heartbeater, reporter);
    } catch (LeaseLostException e) {
      control.leaseLost(e);
      log.warn("Stopped task {} without writing anything more: {}", task.taskId(), e.getMessage());
      return TaskOutcome.LEASE_LOST;
    } catch (TaskRejectedException e) {
      log.error("Task {} cannot run: {}", task.taskId(), e.getMessage());
      heartbeater.close();
      return fail(task, control, e.getMessage(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      heartbeater.close();
      return fail(task, control, "the worker was interrupted", true);
    } catch (Exception e) {
      log.error("Training task {} failed", task.taskId(), e);
      heartbeater.close();
      return fail(task, control, describe(e), true);
    } finally {
      heartbeater.close();
      reporter.close();
      metrics.clearTaskValues();
    }
  }

  private TaskOutcome train(
      ClaimedTask task, TaskControl control, Heartbeater heartbeater, EpochReporter reporter)
      throws IOException, InterruptedException {
    control.status("loading data");
    TrainingThread.prepareCurrentThread();
    TrainingSpec spec = trainingSpec(task);
    ImageSet trainSet = loadTrainingSet(spec);
    RunArtifacts artifacts = new RunArtifacts(properties.artifactsRoot(), task.runId());

    try (TrainingRun run = createRun(spec, trainSet, device)) {
      resume(run, artifacts, task.attempt());

      TaskTrainingListener listener =
          new TaskTrainingListener(
              control, reporter, metrics, spec.method().label(), DeviceSelector.tag(run.device()),
              spec.batchSize());
      AttemptCheckpoints checkpoints =
          new AttemptCheckpoints(artifacts, task.attempt(), properties.keepCheckpoints(), control);
      control.status("training");
      listener.startClock();
      TrainingResult result = run.train(listener, checkpoints);
      reporter.flush();
      control.requireLease();

      return finish(task, control, heartbeater, run, result, artifacts);
    }
  }

  private TaskOutcome finish(
      ClaimedTask task,
      TaskControl control,
      Heartbeater heartbeater,
      TrainingRun run,
      TrainingResult result,
      RunArtifacts artifacts)
      throws IOException {
    TaskControl.StopReason reason = control.stopReason();
    if (reason == TaskControl.StopReason.CANCEL) {
      heartbeater.close();
      client.cancelled(task.taskId(), task.fencingToken());
      log.info("Task {} cancelled after epoch {} step {}", task.taskId(),
          result.epochsCompleted(), result.step());
      return TaskOutcome.CANCELLED;
    }
    if (result.status() == TrainingResult.Status.STOPPED) {
      heartbeater.close();
      client.release(task.taskId(), task.fencingToken(), "worker " + properties.workerId()
          + " is shutting down after epoch " + result.epochsCompleted() + " step " + result.step());
      log.info("Released task {} at epoch {} step {} for another worker", task.taskId(),
          result.epochsCompleted(), result.step());
      return TaskOutcome.RELEASED;
    }
    return publish(task, control, heartbeater, run, artifacts);
  }

  /**
   * Writes the model to a staging directory of this claim, confirms the lease with a heartbeat,
   * renames the model into place and completes the task.
   */
  private TaskOutcome publish(
      ClaimedTask task,
      TaskControl control,
      Heartbeater heartbeater,
      TrainingRun run,
      RunArtifacts artifacts)
      throws IOException {
    Path staged = artifacts.modelStagingDirectory(task.fencingToken());
    try {
      run.exportModel(staged);
      InputContract contract = inputContract(CheckpointIo.verify(staged));

      control.requireLease();
      HeartbeatResponse lease = heartbeater.beatNow();
      heartbeater.close();
      if (lease.cancelRequested()) {
        client.cancelled(task.taskId(), task.fencingToken());
        log.info("Task {} was cancelled after its last epoch; the model is not published",
            task.taskId());
        return TaskOutcome.CANCELLED;
      }
      ModelPublisher.publish(staged, artifacts.modelDirectory());

      client.complete(
          task.taskId(), task.fencingToken(), TaskResult.trained(artifacts.modelUri(), contract));
      log.info("Task {} completed; model at {}", task.taskId(), artifacts.modelUri());
      return TaskOutcome.COMPLETED;
    } finally {
      ModelPublisher.discard(staged);
    }
  }

  private void resume(TrainingRun run, RunArtifacts artifacts, int attempt) throws IOException {
    List<Path> roots = artifacts.attemptDirectoriesUpTo(attempt);
    try {
      Optional<Path> from = run.resumeFromNewest(roots);
      if (from.isEmpty()) {
        log.info("No valid checkpoint of run under {}; starting at epoch 1", artifacts.trainDirectory());
      }
    } catch (IllegalArgumentException e) {
      // A checkpoint of another spec or data set cannot be continued, so starting again is the
      // only way to finish the run. The old checkpoints stay until retention removes them.
      log.warn("Cannot resume from the newest checkpoint; starting at epoch 1: {}", e.getMessage());
    }
  }

  private static TrainingSpec trainingSpec(ClaimedTask task) {
    try {
      return TrainingSpecs.fromRunSpec(task.spec());
    } catch (IllegalArgumentException e) {
      throw new TaskRejectedException("invalid run spec: " + e.getMessage(), e);
    }
  }

  /** Creates the run on {@code device}, which {@link DeviceSelector} checked at start-up. */
  private static TrainingRun createRun(TrainingSpec spec, ImageSet trainSet, Device device) {
    try {
      return TrainingRun.create(spec, trainSet, Augmenters.byolFor(trainSet), device);
    } catch (IllegalArgumentException e) {
      throw new TaskRejectedException("invalid run spec for " + trainSet.name() + ": "
          + e.getMessage(), e);
    }
  }

  private ImageSet loadTrainingSet(TrainingSpec spec) throws IOException {
    try {
      return new DatasetRegistry(properties.dataRoot()).load(spec.dataset(), DatasetSplit.TRAIN);
    } catch (DatasetNotFoundException | InvalidDatasetException e) {
      throw new TaskRejectedException(e.getMessage(), e);
    }
  }

  private static InputContract inputContract(CheckpointManifest manifest) {
    org.byov.core.checkpoint.InputContract contract = manifest.inputContract();
    return new InputContract(
        contract.channels(),
        contract.height(),
        contract.width(),
        java.util.Arrays.stream(contract.mean()).boxed().toList(),
        java.util.Arrays.stream(contract.std()).boxed().toList(),
        contract.classNames());
  }

  private TaskOutcome fail(ClaimedTask task, TaskControl control, String error, boolean retryable) {
    if (control.isLeaseLost()) {
      return TaskOutcome.LEASE_LOST;
    }
    try {
      client.fail(task.taskId(), task.fencingToken(), truncate(error), retryable);
    } catch (LeaseLostException e) {
      log.warn("Reporting the failure of task {} got 409: {}", task.taskId(), e.getMessage());
      return TaskOutcome.LEASE_LOST;
    } catch (RuntimeException e) {
      log.error("Could not report the failure of task {}; its lease will expire", task.taskId(), e);
    }
    return TaskOutcome.FAILED;
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String truncate(String error) {
    String text = error == null || error.isBlank() ? "unknown error" : error;
    return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
  }

  /** A task that no attempt can run, such as an invalid spec or a missing dataset. */
  static final class TaskRejectedException extends RuntimeException {
    TaskRejectedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
