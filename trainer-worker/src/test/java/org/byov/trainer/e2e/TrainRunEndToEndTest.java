package org.byov.trainer.e2e;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.trainer.support.TestOrchestrator;
import org.byov.trainer.support.TestWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A worker in this JVM trains short Fashion-MNIST runs for the real orchestrator: 64 images in
 * batches of 16 make 4 steps per epoch.
 */
class TrainRunEndToEndTest {

  private static final int STEPS_PER_EPOCH = 64 / 16;

  @TempDir static Path artifacts;

  private static TestOrchestrator orchestrator;
  private static TestWorkers workers;

  @BeforeAll
  static void startOrchestrator() {
    orchestrator = new TestOrchestrator("trainer_e2e", artifacts);
    workers = new TestWorkers(orchestrator.baseUrl(), artifacts);
  }

  @AfterAll
  static void stopOrchestrator() {
    orchestrator.close();
  }

  static String spec(String model, int epochs) {
    return """
        {"modelName":"%s","dataset":"fashion-mnist","method":"byov","epochs":%d,
         "batchSize":16,"trainSubset":64,"seed":7}"""
        .formatted(model, epochs);
  }

  @Test
  void shortRunCompletesWithMetricsCheckpointsAndModel() throws IOException {
    UUID runId = orchestrator.createRun(spec("e2e-complete", 3));
    try (TestWorkers.InProcess worker =
        workers.startInProcess(
            TestWorkers.workerId("complete"), Map.of("BYOV_KEEP_CHECKPOINTS", "2"))) {
      TestOrchestrator.TrainTask task = orchestrator.awaitTrainTaskEnd(runId, Duration.ofMinutes(4));
      assertThat(task.status()).isEqualTo("SUCCEEDED");

      JsonNode history = orchestrator.metricsHistory(runId);
      assertThat(history.size()).isEqualTo(3);
      for (int epoch = 1; epoch <= 3; epoch++) {
        JsonNode values = history.get(epoch - 1).get("values");
        assertThat(history.get(epoch - 1).get("epoch").asInt()).isEqualTo(epoch);
        assertThat(values.get("loss").asDouble()).isFinite();
        assertThat(values.has("kl")).isTrue();
        assertThat(values.get("step").asLong()).isEqualTo((long) epoch * STEPS_PER_EPOCH);
      }

      // Retention keeps the newest 2 of the 3 epoch checkpoints.
      Path attempt = artifacts.resolve("runs/" + runId + "/train/attempt-1");
      assertThat(checkpointNames(attempt)).containsExactly("epoch-2", "epoch-3");
      CheckpointManifest last = CheckpointIo.verify(attempt.resolve("epoch-3"));
      assertThat(last.step()).isEqualTo(3L * STEPS_PER_EPOCH);

      Path model = artifacts.resolve("runs/" + runId + "/model");
      CheckpointManifest modelManifest = CheckpointIo.verify(model);
      assertThat(modelManifest.kind()).isEqualTo(CheckpointManifest.KIND_MODEL);
      assertThat(modelManifest.epoch()).isEqualTo(3);
      JsonNode result = task.resultJson();
      assertThat(result.get("artifactUri").asString()).isEqualTo(model.toUri().toString());
      assertThat(result.get("inputContract").get("height").asInt()).isEqualTo(28);
      assertThat(result.get("inputContract").get("channels").asInt()).isEqualTo(1);
      assertThat(result.get("inputContract").get("classNames").size()).isEqualTo(10);
      assertThat(hiddenEntries(artifacts.resolve("runs/" + runId))).isEmpty();

      String prometheus = scrape(worker);
      String tags = "{application=\"byov-trainer-worker\",";
      assertThat(prometheus)
          .contains("byov_train_step_seconds_count" + tags + "device=\"cpu\",method=\"byov\"} "
              + 3 * STEPS_PER_EPOCH);
      assertThat(prometheus).contains("byov_train_loss" + tags + "component=\"kl\"}");
      assertThat(prometheus).contains("byov_train_loss" + tags + "component=\"byol\"}");
      assertThat(prometheus).contains("byov_train_loss" + tags + "component=\"total\"}");
      assertThat(prometheus)
          .contains("byov_train_snr" + tags + "layer=\"encoder.embedding\",statistic=\"median\"}");
      assertThat(prometheus).contains("byov_train_images_per_second" + tags + "device=\"cpu\"}");
      assertThat(prometheus).contains("byov_train_embedding_std");
      assertThat(prometheus).contains("byov_train_collapse");

      // The last heartbeat, sent to confirm the lease before the model is published, carries the
      // progress after the last step. Its throughput covers a window of up to 20 steps, which
      // contains all 12 steps of this run, so it is 12 x 16 images over the step timer's total time.
      JsonNode progress = trainTaskProgress(orchestrator.runView(runId));
      assertThat(progress.get("epoch").asInt()).isEqualTo(3);
      assertThat(progress.get("totalEpochs").asInt()).isEqualTo(3);
      assertThat(progress.get("step").asLong()).isEqualTo(3L * STEPS_PER_EPOCH);
      double imagesPerSecond = progress.get("imagesPerSecond").asDouble();
      double stepSeconds =
          prometheusValue(
              prometheus, "byov_train_step_seconds_sum" + tags + "device=\"cpu\",method=\"byov\"}");
      assertThat(imagesPerSecond).isPositive();
      assertThat(imagesPerSecond)
          .isCloseTo(3.0 * STEPS_PER_EPOCH * 16 / stepSeconds, withinPercentage(1e-4));

      // The runner resets the gauges after its call to :complete, so the task can read SUCCEEDED
      // a moment before the loss turns NaN. From then on the idle worker reports no collapse and
      // no throughput.
      String untagged = "{application=\"byov-trainer-worker\"}";
      String idle = Poll.until(Duration.ofSeconds(30), "the worker to reset its gauges", () -> {
        String scraped = scrape(worker);
        double total = prometheusValue(scraped, "byov_train_loss" + tags + "component=\"total\"}");
        return Double.isNaN(total) ? scraped : null;
      });
      assertThat(prometheusValue(idle, "byov_train_loss" + tags + "component=\"kl\"}")).isNaN();
      assertThat(prometheusValue(idle, "byov_train_embedding_std" + untagged)).isNaN();
      assertThat(prometheusValue(idle, "byov_train_collapse" + untagged)).isZero();
      assertThat(prometheusValue(idle, "byov_train_images_per_second" + tags + "device=\"cpu\"}"))
          .isZero();
    }
  }

  /** Returns the worker's Prometheus exposition, read with the admin token. */
  static String scrape(TestWorkers.InProcess worker) {
    return RestClient.create("http://127.0.0.1:" + worker.port())
        .get()
        .uri("/actuator/prometheus")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestOrchestrator.ADMIN_TOKEN)
        .retrieve()
        .body(String.class);
  }

  /** Returns the progress of the run's TRAIN task from the run view. */
  static JsonNode trainTaskProgress(JsonNode run) {
    for (JsonNode task : run.get("tasks")) {
      if (task.get("kind").asString().equals("TRAIN")) {
        return task.get("progress");
      }
    }
    throw new AssertionError("The run view has no TRAIN task: " + run);
  }

  /** Returns the value of the Prometheus sample whose name and labels are {@code series}. */
  static double prometheusValue(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("No sample " + series + " in the Prometheus output");
  }

  @Test
  void cancelMidRunEndsCancelledWithCheckpoint() throws IOException {
    // Many epochs, so that on a fast machine the run is still training when the cancel arrives.
    int epochs = 300;
    UUID runId = orchestrator.createRun(spec("e2e-cancel", epochs));
    try (TestWorkers.InProcess worker =
        workers.startInProcess(TestWorkers.workerId("cancel"), Map.of())) {
      TestOrchestrator.TrainTask running =
          Poll.until(Duration.ofMinutes(3), "the worker to report step 2", () -> {
            TestOrchestrator.TrainTask row = orchestrator.trainTask(runId);
            return row != null && row.stepOrZero() >= 2 ? row : null;
          });
      orchestrator.cancel(runId);

      Poll.untilTrue(Duration.ofMinutes(2), "run CANCELLED",
          () -> orchestrator.runStatus(runId).equals("CANCELLED"));
      assertThat(orchestrator.trainTask(runId).status()).isEqualTo("CANCELLED");
      assertThat(orchestrator.eventTypes(runId)).contains("TASK_CANCELLED");
      // Every step before the cancel set the throughput gauge, and the cancelled task resets it.
      String throughput =
          "byov_train_images_per_second{application=\"byov-trainer-worker\",device=\"cpu\"}";
      Poll.untilTrue(Duration.ofSeconds(30), "the worker to reset its throughput gauge",
          () -> prometheusValue(scrape(worker), throughput) == 0.0);

      Path attempt = artifacts.resolve("runs/" + runId + "/train/attempt-1");
      List<String> names = checkpointNames(attempt);
      assertThat(names).isNotEmpty();
      long newestStep = 0;
      for (String name : names) {
        newestStep = Math.max(newestStep, CheckpointIo.verify(attempt.resolve(name)).step());
      }
      // The stop comes after the step the heartbeat reported, so the checkpoint is at least there.
      assertThat(newestStep).isGreaterThanOrEqualTo(running.stepOrZero());
      assertThat(newestStep).isLessThan((long) epochs * STEPS_PER_EPOCH);
      assertThat(artifacts.resolve("runs/" + runId + "/model")).doesNotExist();
    }
  }

  static List<String> checkpointNames(Path attempt) throws IOException {
    try (Stream<Path> children = Files.list(attempt)) {
      return children
          .filter(path -> Files.exists(path.resolve(CheckpointManifest.FILE_NAME)))
          .map(path -> path.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  static List<Path> hiddenEntries(Path directory) throws IOException {
    try (Stream<Path> entries = Files.walk(directory)) {
      return entries.filter(path -> path.getFileName().toString().startsWith(".")).toList();
    }
  }
}
