package org.byov.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.ModelArtifact;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.support.FakeWorker;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestTokens;
import org.byov.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code :evaluate} of a registered version against PostgreSQL: a successful result becomes what
 * the version shows, the registration's evaluation stays in the history, and the production
 * version never moves. The model references of the version's run spec are resolved again when the
 * task is created. The gates are probeAccuracy at least 0.8 and ECE at most 0.05.
 */
class OnDemandEvaluationTest {

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static Http http;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("on_demand_eval", artifacts);
    replica =
        orchestrators.start(
            "evaluations",
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
  void latestEvaluationIsShownAndHistoryKept() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-1");
    UUID runId = registerVersion("reeval-model", true, worker);
    JsonNode registered = version("reeval-model", 1);
    UUID registrationEvaluation = UUID.fromString(registered.get("evaluationId").asString());
    assertThat(registered.get("production").asBoolean()).isTrue();

    // First on-demand evaluation: passes the gates.
    UUID firstTask = requestEvaluation("reeval-model", 1, "evaluate-v1-1");
    ClaimedTask first = worker.claim(TaskKind.EVAL, runId);
    assertThat(first.taskId()).isEqualTo(firstTask);
    assertThat(first.input().modelName()).isEqualTo("reeval-model");
    assertThat(first.input().modelVersion()).isEqualTo(1);
    UUID firstEvaluation = complete(worker, first, 0.9, 0.01, 0.65);

    JsonNode afterFirst = version("reeval-model", 1);
    assertThat(afterFirst.get("evaluationId").asString()).isEqualTo(firstEvaluation.toString());
    assertThat(afterFirst.get("abstainThreshold").asDouble()).isEqualTo(0.65);
    assertThat(afterFirst.get("metrics").get("probeAccuracy").asDouble()).isEqualTo(0.9);

    // Second one: fails the ECE gate. It is still what the version shows, and production stays.
    UUID secondTask = requestEvaluation("reeval-model", 1, "evaluate-v1-2");
    ClaimedTask second = worker.claim(TaskKind.EVAL, runId);
    assertThat(second.taskId()).isEqualTo(secondTask);
    UUID secondEvaluation = complete(worker, second, 0.82, 0.08, 0.55);

    JsonNode latest = version("reeval-model", 1);
    assertThat(latest.get("evaluationId").asString()).isEqualTo(secondEvaluation.toString());
    assertThat(latest.get("metrics").get("probeAccuracy").asDouble()).isEqualTo(0.82);
    assertThat(latest.get("metrics").get("ece").asDouble()).isEqualTo(0.08);
    assertThat(latest.get("abstainThreshold").asDouble()).isEqualTo(0.55);
    assertThat(Instant.parse(latest.get("evaluatedAt").asString()))
        .isAfter(Instant.parse(registered.get("evaluatedAt").asString()));
    assertThat(latest.get("production").asBoolean()).isTrue();
    assertThat(latest.get("artifactUri").asString()).isEqualTo(registered.get("artifactUri").asString());

    JsonNode production = http.get("/api/v1/models/reeval-model/production", TestTokens.INFERENCE).json();
    assertThat(production.get("version").asInt()).isEqualTo(1);
    assertThat(production.get("evaluationId").asString()).isEqualTo(secondEvaluation.toString());

    JsonNode history = history("reeval-model", 1);
    assertThat(history.size()).isEqualTo(3);
    assertHistoryEntry(history.get(0), "ON_DEMAND", secondEvaluation, secondTask, 0.55, true);
    assertHistoryEntry(history.get(1), "ON_DEMAND", firstEvaluation, firstTask, 0.65, false);
    assertHistoryEntry(history.get(2), "REGISTRATION", registrationEvaluation, null, 0.7, false);
    assertThat(history.get(2).get("metrics").get("probeAccuracy").asDouble()).isEqualTo(0.85);
    assertThat(history.get(0).get("reportUri").asString())
        .isEqualTo("file:///artifacts/evaluations/" + secondEvaluation + "/report/index.html");

    // Only the automatic promotion at registration is in the audit trail.
    JsonNode promotions = http.get("/api/v1/models/reeval-model/promotions", TestTokens.RUNS).json();
    assertThat(promotions.size()).isEqualTo(1);
    assertThat(promotions.get(0).get("action").asString()).isEqualTo("AUTO_PROMOTE");

    List<String> recorded = eventMessages(runId, "EVALUATION_RECORDED");
    assertThat(recorded).hasSize(2);
    assertThat(recorded.get(0)).contains("passes the promotion gates");
    assertThat(recorded.get(1)).contains("fails the promotion gates").contains("ece 0.08");
  }

  @Test
  void passingEvaluationDoesNotPromote() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-2");
    UUID runId = registerVersion("unpromoted-model", false, worker);
    assertThat(http.get("/api/v1/models/unpromoted-model/production", TestTokens.RUNS).status())
        .isEqualTo(404);

    requestEvaluation("unpromoted-model", 1, "evaluate-v1-1");
    UUID evaluation = complete(worker, worker.claim(TaskKind.EVAL, runId), 0.95, 0.01, 0.6);

    assertThat(version("unpromoted-model", 1).get("evaluationId").asString())
        .isEqualTo(evaluation.toString());
    assertThat(version("unpromoted-model", 1).get("production").asBoolean()).isFalse();
    assertThat(http.get("/api/v1/models/unpromoted-model/production", TestTokens.RUNS).status())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/models/unpromoted-model/promotions", TestTokens.RUNS).json().size())
        .isZero();
  }

  @Test
  void failedEvaluationLeavesVersionUnchanged() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-3");
    UUID runId = registerVersion("failing-eval-model", false, worker);
    JsonNode before = version("failing-eval-model", 1);

    requestEvaluation("failing-eval-model", 1, "evaluate-v1-1");
    ClaimedTask task = worker.claim(TaskKind.EVAL, runId);
    worker.client().fail(task.taskId(), task.fencingToken(), "dataset not found", false);

    JsonNode after = version("failing-eval-model", 1);
    assertThat(after.get("evaluationId").asString()).isEqualTo(before.get("evaluationId").asString());
    assertThat(after.get("abstainThreshold").asDouble()).isEqualTo(0.7);
    assertThat(after.get("evaluatedAt").asString()).isEqualTo(before.get("evaluatedAt").asString());
    JsonNode history = history("failing-eval-model", 1);
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.get(0).get("source").asString()).isEqualTo("REGISTRATION");
  }

  @Test
  void historyOfUnknownVersionIs404() {
    Http.Response response =
        http.get("/api/v1/models/no-such-model/versions/1/evaluation-history", TestTokens.RUNS);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void referencesResolveAgainIntoTaskInput() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-4");
    registerVersion("od-baseline", "byol", true, "", worker);
    UUID bbbRun = registerVersion("od-bbb", "supervised-bbb", false, "", worker);
    UUID runId = registerVersion("od-compared", "byov", false,
        "\"baselineModel\":\"od-baseline\",\"alignWith\":\"od-bbb:1\"", worker);
    // A newer baseline reaches production after the run registered od-compared version 1.
    UUID newerBaselineRun = registerVersion("od-baseline", "byol", false, "", worker);
    promote("od-baseline", 2);

    UUID taskId = requestEvaluation("od-compared", 1, "evaluate-v1-1");
    ClaimedTask task = worker.claim(TaskKind.EVAL, runId);

    // The name-only reference resolves to the production version now, version 2. The artifact
    // URIs are the ones FakeWorker completed those runs' TRAIN tasks with.
    assertThat(task.taskId()).isEqualTo(taskId);
    assertThat(task.input().artifactUri()).isEqualTo("file:///artifacts/runs/" + runId + "/model/");
    assertThat(task.input().baselineModel()).isEqualTo(new ModelArtifact(
        "od-baseline", 2, "file:///artifacts/runs/" + newerBaselineRun + "/model/"));
    assertThat(task.input().alignWithModel()).isEqualTo(
        new ModelArtifact("od-bbb", 1, "file:///artifacts/runs/" + bbbRun + "/model/"));
    assertThat(eventMessages(runId, "EVALUATION_REQUESTED")).containsExactly(
        "admin requested an evaluation of od-compared version 1 against baseline od-baseline:2"
            + " and alignment model od-bbb:1");
    complete(worker, task, 0.9, 0.01, 0.6);
  }

  @Test
  void danglingBaselineGets422WithoutTask() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-5");
    registerVersion("od-gone", "byol", false, "", worker);
    UUID runId = registerVersion("od-dangling", "byov", false,
        "\"baselineModel\":\"od-gone:1\"", worker);
    // No API removes a version, so deleting the rows simulates a registry that lost it.
    jdbc.update("DELETE FROM model_evaluations WHERE model_name = 'od-gone'");
    jdbc.update("DELETE FROM model_versions WHERE model_name = 'od-gone'");

    Http.Response response = http.post(
        "/api/v1/models/od-dangling/versions/1:evaluate", TestTokens.ADMIN, null);

    assertUnresolved(response, "evaluation.baselineModel", "no model 'od-gone' is registered");
    assertThat(response.json().get("detail").asString())
        .contains("The run spec of od-dangling version 1 names it and cannot change")
        .contains("register a model named 'od-gone'")
        .contains("train a new version whose run spec names another model");
    assertThat(onDemandTasks(runId)).isZero();
    assertThat(eventMessages(runId, "EVALUATION_REQUESTED")).isEmpty();
  }

  @Test
  void alignmentModelNoLongerSupervisedGets422() {
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "evaluator-6");
    registerVersion("od-align", "supervised-bbb", true, "", worker);
    UUID runId = registerVersion("od-aligned", "byov", false, "\"alignWith\":\"od-align\"", worker);
    // Production of od-align moves to a byol version, which alignment cannot compare with.
    registerVersion("od-align", "byol", false, "", worker);
    promote("od-align", 2);

    Http.Response response = http.post(
        "/api/v1/models/od-aligned/versions/1:evaluate", TestTokens.ADMIN, null);

    assertUnresolved(response, "evaluation.alignWith", "resolves to od-align:2");
    assertThat(response.json().get("detail").asString())
        .contains("trained with byol")
        .contains("promote a supervised-bbb version of 'od-align'");
    assertThat(onDemandTasks(runId)).isZero();
  }

  @Test
  void unknownVersionGets404BeforeReferences() {
    Http.Response response =
        http.post("/api/v1/models/no-such-model/versions/1:evaluate", TestTokens.ADMIN, null);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  /** Runs a byov run through train, evaluate (0.85, 0.03, threshold 0.7) and register. */
  private static UUID registerVersion(String model, boolean promote, FakeWorker worker) {
    return registerVersion(model, "byov", promote, "", worker);
  }

  /**
   * Runs a run with the given method and evaluation options (JSON members, may be empty) through
   * train, evaluate (0.85, 0.03, threshold 0.7) and register as the model's next version.
   */
  private static UUID registerVersion(
      String model, String method, boolean promote, String evaluation, FakeWorker worker) {
    String body =
        """
        {"modelName":"%s","dataset":"fashion-mnist","method":"%s","epochs":1,"promote":%s,
         "evaluation":{%s}}"""
            .formatted(model, method, promote, evaluation);
    Http.Response created = http.post("/api/v1/runs", TestTokens.RUNS, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    UUID runId = UUID.fromString(created.json().get("id").asString());

    worker.completeTrain(worker.claim(TaskKind.TRAIN, runId));
    worker.completeEval(worker.claim(TaskKind.EVAL, runId), 0.85, 0.03);
    Poll.untilTrue(Duration.ofSeconds(30), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(runId)));
    return runId;
  }

  private static UUID requestEvaluation(String model, int version, String expectedStage) {
    Http.Response response =
        http.post("/api/v1/models/" + model + "/versions/" + version + ":evaluate", TestTokens.ADMIN, null);
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    assertThat(response.json().get("stage").asString()).isEqualTo(expectedStage);
    return UUID.fromString(response.json().get("taskId").asString());
  }

  /** Completes an EVAL task with a new evaluation id; returns that id. */
  private static UUID complete(
      FakeWorker worker, ClaimedTask task, double probeAccuracy, double ece, double threshold) {
    UUID evaluationId = UUID.randomUUID();
    worker.client().complete(
        task.taskId(),
        task.fencingToken(),
        TaskResult.evaluated(
            evaluationId,
            Map.of("probeAccuracy", probeAccuracy, "ece", ece, "brier", 0.2, "nll", 0.4),
            threshold,
            "file:///artifacts/evaluations/" + evaluationId + "/report/index.html"));
    return evaluationId;
  }

  private static void promote(String model, int version) {
    Http.Response response = http.post(
        "/api/v1/models/" + model + "/versions/" + version + ":promote", TestTokens.ADMIN, null);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  private static void assertUnresolved(Http.Response response, String field, String reason) {
    assertThat(response.status()).as(response.text()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("detail").asString()).startsWith(field + ": ").contains(reason);
    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
    assertThat(response.text()).doesNotContain("Exception");
  }

  private static int onDemandTasks(UUID runId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM tasks WHERE run_id = ? AND stage LIKE 'evaluate-v%'",
        Integer.class, runId);
  }

  private static void assertHistoryEntry(
      JsonNode entry, String source, UUID evaluationId, UUID taskId, double threshold, boolean current) {
    assertThat(entry.get("source").asString()).isEqualTo(source);
    assertThat(entry.get("evaluationId").asString()).isEqualTo(evaluationId.toString());
    if (taskId == null) {
      assertThat(entry.get("taskId").isNull()).isTrue();
    } else {
      assertThat(entry.get("taskId").asString()).isEqualTo(taskId.toString());
    }
    assertThat(entry.get("abstainThreshold").asDouble()).isEqualTo(threshold);
    assertThat(entry.get("current").asBoolean()).isEqualTo(current);
  }

  private static JsonNode version(String model, int version) {
    Http.Response response =
        http.get("/api/v1/models/" + model + "/versions/" + version, TestTokens.RUNS);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode history(String model, int version) {
    Http.Response response =
        http.get("/api/v1/models/" + model + "/versions/" + version + "/evaluation-history", TestTokens.RUNS);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static List<String> eventMessages(UUID runId, String type) {
    List<String> messages = new ArrayList<>();
    for (JsonNode event : http.get("/api/v1/runs/" + runId + "/events", TestTokens.RUNS).json()) {
      if (event.get("type").asString().equals(type)) {
        messages.add(event.get("message").asString());
      }
    }
    return messages;
  }

  private static String status(UUID runId) {
    return jdbc.queryForObject("SELECT status FROM runs WHERE id = ?", String.class, runId);
  }
}
