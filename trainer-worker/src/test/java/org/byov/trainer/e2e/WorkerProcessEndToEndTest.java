package org.byov.trainer.e2e;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.checkpoint.CorruptCheckpointException;
import org.byov.trainer.support.TestOrchestrator;
import org.byov.trainer.support.TestWorkers;
import org.byov.trainer.tasks.WorkerLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that die: a one-shot worker runs as a separate JVM and is killed with SIGKILL or
 * stopped with SIGTERM mid-epoch. A second worker in this JVM then finishes the run.
 */
class WorkerProcessEndToEndTest {

  @TempDir static Path artifacts;
  @TempDir Path logs;

  private static TestOrchestrator orchestrator;
  private static TestWorkers workers;
  private Process process;
  private Path log;

  @BeforeAll
  static void startOrchestrator() {
    orchestrator = new TestOrchestrator("trainer_process", artifacts);
    workers = new TestWorkers(orchestrator.baseUrl(), artifacts);
  }

  @AfterAll
  static void stopOrchestrator() {
    orchestrator.close();
  }

  @AfterEach
  void killWorker() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigkillMidEpochCostsAtMostOneEpoch() throws Exception {
    // 256 steps per epoch, so that on a fast machine the kill still lands inside epoch 2.
    int stepsPerEpoch = 4096 / 16;
    UUID runId =
        orchestrator.createRun(
            """
            {"modelName":"e2e-sigkill","dataset":"fashion-mnist","method":"byov","epochs":3,
             "batchSize":16,"trainSubset":4096,"seed":3}""");
    UUID taskId = awaitTaskId(runId);
    Path attempt1 = artifacts.resolve("runs/" + runId + "/train/attempt-1");

    startWorkerProcess("killed", taskId);
    awaitMidEpoch(runId, attempt1.resolve("epoch-1"), stepsPerEpoch + 1);
    process.destroyForcibly();
    process.waitFor();

    int completedBeforeKill = newestEpoch(attempt1);
    assertThat(completedBeforeKill).isBetween(1, 2);
    Poll.untilTrue(Duration.ofMinutes(1), "the lease to expire and the task to be queued again",
        () -> {
          TestOrchestrator.TrainTask task = orchestrator.trainTask(runId);
          return task.status().equals("QUEUED") && task.attempt() == 2;
        });

    try (TestWorkers.InProcess second =
        workers.startInProcess(
            TestWorkers.workerId("second"),
            Map.of("BYOV_WORKER_TASK_ID", taskId.toString(), "BYOV_KEEP_CHECKPOINTS", "10"))) {
      assertThat(second.awaitExitCode()).isEqualTo(WorkerLoop.EXIT_OK);
    }

    assertThat(orchestrator.trainTask(runId).status()).isEqualTo("SUCCEEDED");
    // The second attempt resumed after the last completed epoch: its first checkpoint is the
    // next epoch, so no epoch was lost and only the killed, unfinished one ran twice.
    Path attempt2 = artifacts.resolve("runs/" + runId + "/train/attempt-2");
    List<String> resumed = TrainRunEndToEndTest.checkpointNames(attempt2);
    assertThat(resumed.get(0)).isEqualTo("epoch-" + (completedBeforeKill + 1));
    assertThat(resumed.get(resumed.size() - 1)).isEqualTo("epoch-3");
    CheckpointManifest model = CheckpointIo.verify(artifacts.resolve("runs/" + runId + "/model"));
    assertThat(model.epoch()).isEqualTo(3);
    assertThat(model.step()).isEqualTo(3L * stepsPerEpoch);
    assertThat(orchestrator.metricsHistory(runId).size()).isEqualTo(3);
  }

  @Test
  void sigtermMidEpochCheckpointsAndReleases() throws Exception {
    // 256 steps per epoch, so that on a fast machine SIGTERM still lands inside epoch 2.
    int stepsPerEpoch = 4096 / 16;
    UUID runId =
        orchestrator.createRun(
            """
            {"modelName":"e2e-sigterm","dataset":"fashion-mnist","method":"byov","epochs":2,
             "batchSize":16,"trainSubset":4096,"seed":4}""");
    UUID taskId = awaitTaskId(runId);
    Path attempt1 = artifacts.resolve("runs/" + runId + "/train/attempt-1");

    startWorkerProcess("terminated", taskId);
    awaitMidEpoch(runId, attempt1.resolve("epoch-1"), stepsPerEpoch + 2);
    String epoch1CreatedAt = CheckpointIo.verify(attempt1.resolve("epoch-1")).createdAt();
    process.destroy();

    // The worker's grace period is 20 s; the process must be gone well within this deadline.
    Poll.untilTrue(Duration.ofSeconds(60), "the worker to exit after SIGTERM", () -> !process.isAlive());
    TestOrchestrator.TrainTask task = orchestrator.trainTask(runId);
    assertThat(task.status()).as(tail()).isEqualTo("QUEUED");
    assertThat(task.attempt()).isEqualTo(1);
    assertThat(orchestrator.eventTypes(runId)).contains("TASK_RELEASED");
    assertThat(orchestrator.eventTypes(runId)).doesNotContain("LEASE_EXPIRED");
    Path midEpoch =
        TrainRunEndToEndTest.checkpointNames(attempt1).stream()
            .filter(name -> name.startsWith("epoch-1-step-"))
            .map(attempt1::resolve)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no mid-epoch checkpoint in " + attempt1 + tail()));
    CheckpointManifest stopped = CheckpointIo.verify(midEpoch);
    assertThat(stopped.epoch()).isEqualTo(1);
    assertThat(stopped.step()).isBetween(stepsPerEpoch + 2L, 2L * stepsPerEpoch - 1);

    // A checkpoint with a bad checksum is skipped: the next worker resumes from epoch-1.
    flipFirstByte(midEpoch.resolve("online.params"));
    try (TestWorkers.InProcess second =
        workers.startInProcess(
            TestWorkers.workerId("after-sigterm"),
            Map.of("BYOV_WORKER_TASK_ID", taskId.toString(), "BYOV_KEEP_CHECKPOINTS", "10"))) {
      assertThat(second.awaitExitCode()).isEqualTo(WorkerLoop.EXIT_OK);
    }
    assertThat(orchestrator.trainTask(runId).status()).isEqualTo("SUCCEEDED");
    assertThat(CheckpointIo.verify(attempt1.resolve("epoch-1")).createdAt()).isEqualTo(epoch1CreatedAt);
    assertThat(CheckpointIo.verify(attempt1.resolve("epoch-2")).step()).isEqualTo(2L * stepsPerEpoch);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckpointIo.verify(midEpoch))
        .isInstanceOf(CorruptCheckpointException.class);
  }

  private UUID awaitTaskId(UUID runId) {
    return Poll.until(Duration.ofSeconds(30), "the TRAIN task of run " + runId, () -> {
      TestOrchestrator.TrainTask task = orchestrator.trainTask(runId);
      return task == null ? null : task.id();
    });
  }

  private void startWorkerProcess(String name, UUID taskId) throws IOException {
    log = logs.resolve(name + ".log");
    process =
        workers.startProcess(
            TestWorkers.workerId(name),
            Map.of(
                "BYOV_WORKER_TASK_ID", taskId.toString(),
                "BYOV_KEEP_CHECKPOINTS", "10",
                "BYOV_SHUTDOWN_GRACE", "20s"),
            log);
  }

  /** Waits until the epoch checkpoint exists and the worker reports at least {@code step}. */
  private void awaitMidEpoch(UUID runId, Path epochCheckpoint, long step) {
    Poll.untilTrue(Duration.ofMinutes(10), "the worker to pass step " + step, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("The worker process exited early:" + tail());
      }
      TestOrchestrator.TrainTask task = orchestrator.trainTask(runId);
      return Files.isDirectory(epochCheckpoint) && task.stepOrZero() >= step;
    });
  }

  private static int newestEpoch(Path attempt) throws IOException {
    return TrainRunEndToEndTest.checkpointNames(attempt).stream()
        .filter(name -> name.matches("epoch-\\d+"))
        .mapToInt(name -> Integer.parseInt(name.substring("epoch-".length())))
        .max()
        .orElse(0);
  }

  private static void flipFirstByte(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer first = ByteBuffer.allocate(1);
      channel.read(first, 0);
      first.put(0, (byte) (first.get(0) ^ 0x01));
      first.rewind();
      channel.write(first, 0);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n--- worker log (last 40 lines) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return " (no worker log: " + e.getMessage() + ")";
    }
  }
}
