package org.byov.orchestrator.runs;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.support.FakeWorker;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** A run posted over REST goes through train, evaluate and register with protocol workers. */
class RunLifecycleTest {

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static Http http;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("run_lifecycle", artifacts);
    replica =
        orchestrators.start(
            "lifecycle",
            Map.of(
                "byov.registry.gates.min-probe-accuracy", "0.8",
                "byov.registry.gates.max-ece", "0.05"));
    http = new Http(replica.baseUrl());
    jdbc = replica.bean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  @Test
  void runTrainsEvaluatesRegistersAndPromotes() throws Exception {
    UUID runId = createRun("lifecycle-model", true);
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "fake-1");

    ClaimedTask train = worker.claim(TaskKind.TRAIN, runId);
    assertThat(train.spec().modelName()).isEqualTo("lifecycle-model");
    assertThat(status(runId)).isEqualTo("TRAINING");
    Path checkpoint = artifacts.resolve("runs/" + runId + "/train/attempt-1/epoch-1/weights.bin");
    Files.createDirectories(checkpoint.getParent());
    Files.writeString(checkpoint, "weights");
    worker.completeTrain(train);

    ClaimedTask eval = worker.claim(TaskKind.EVAL, runId);
    assertThat(eval.input().artifactUri()).isEqualTo("file:///artifacts/runs/" + runId + "/model/");
    assertThat(eval.input().inputContract()).isEqualTo(FakeWorker.CONTRACT);
    Poll.untilTrue(Duration.ofSeconds(30), "run EVALUATING", () -> "EVALUATING".equals(status(runId)));
    UUID evaluationId = worker.completeEval(eval, 0.85, 0.03);

    Poll.untilTrue(Duration.ofSeconds(30), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(runId)));
    JsonNode run = http.get("/api/v1/runs/" + runId, TestTokens.RUNS).json();
    assertThat(run.get("currentEpoch").asInt()).isEqualTo(1);
    assertThat(run.get("latestMetrics").get("loss").asDouble()).isEqualTo(0.5);
    assertThat(run.get("links").get("evaluation").asString()).isEqualTo(evaluationId.toString());
    assertThat(run.get("links").get("modelVersion").asString())
        .isEqualTo("/api/v1/models/lifecycle-model/versions/1");

    JsonNode production = http.get("/api/v1/models/lifecycle-model/production", TestTokens.INFERENCE).json();
    assertThat(production.get("version").asInt()).isEqualTo(1);
    assertThat(production.get("abstainThreshold").asDouble()).isEqualTo(0.7);
    assertThat(production.get("metrics").get("probeAccuracy").asDouble()).isEqualTo(0.85);
    assertThat(production.get("inputContract").get("height").asInt()).isEqualTo(28);

    Integer jobInstances =
        jdbc.queryForObject("SELECT count(*) FROM BATCH_JOB_INSTANCE", Integer.class);
    assertThat(jobInstances).isEqualTo(1);
    assertThat(http.get("/api/v1/runs/" + runId + "/metrics", TestTokens.RUNS).json().size()).isEqualTo(1);

    // The production version's checkpoints are protected.
    assertThat(http.delete("/api/v1/runs/" + runId, TestTokens.ADMIN).status()).isEqualTo(409);
    assertThat(Files.exists(checkpoint)).isTrue();
  }

  @Test
  void failingGatesRegisterWithoutPromotion() {
    UUID runId = createRun("gated-model", true);
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "fake-2");
    worker.completeTrain(worker.claim(TaskKind.TRAIN, runId));
    worker.completeEval(worker.claim(TaskKind.EVAL, runId), 0.85, 0.2);

    Poll.untilTrue(Duration.ofSeconds(30), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(runId)));
    assertThat(http.get("/api/v1/models/gated-model/versions", TestTokens.RUNS).json().size()).isEqualTo(1);
    assertThat(http.get("/api/v1/models/gated-model/production", TestTokens.RUNS).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/runs/" + runId, TestTokens.ADMIN).status()).isEqualTo(204);
  }

  @Test
  void nonRetryableTrainFailureFailsRun() {
    UUID runId = createRun("failing-model", false);
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "fake-3");
    ClaimedTask train = worker.claim(TaskKind.TRAIN, runId);
    worker.client().fail(train.taskId(), train.fencingToken(), "dataset not found", false);

    Poll.untilTrue(Duration.ofSeconds(30), "run FAILED", () -> "FAILED".equals(status(runId)));
    JsonNode run = http.get("/api/v1/runs/" + runId, TestTokens.RUNS).json();
    assertThat(run.get("error").asString()).contains("dataset not found");
  }

  @Test
  void cancelReachesWorkerThroughHeartbeat() {
    UUID runId = createRun("cancelled-model", false);
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "fake-4");
    ClaimedTask train = worker.claim(TaskKind.TRAIN, runId);

    assertThat(http.post("/api/v1/runs/" + runId + ":cancel", TestTokens.RUNS, null).status()).isEqualTo(202);
    assertThat(worker.client().heartbeat(train.taskId(), train.fencingToken(), null).cancelRequested())
        .isTrue();
    worker.client().cancelled(train.taskId(), train.fencingToken());

    Poll.untilTrue(Duration.ofSeconds(30), "run CANCELLED", () -> "CANCELLED".equals(status(runId)));
    assertThat(http.post("/api/v1/runs/" + runId + ":cancel", TestTokens.RUNS, null).status()).isEqualTo(409);
  }

  private static UUID createRun(String model, boolean promote) {
    String body =
        """
        {"modelName":"%s","dataset":"fashion-mnist","method":"byov","epochs":2,"promote":%s}"""
            .formatted(model, promote);
    Http.Response response = http.post("/api/v1/runs", TestTokens.RUNS, body);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return UUID.fromString(response.json().get("id").asString());
  }

  private static String status(UUID runId) {
    return jdbc.queryForObject("SELECT status FROM runs WHERE id = ?", String.class, runId);
  }
}
