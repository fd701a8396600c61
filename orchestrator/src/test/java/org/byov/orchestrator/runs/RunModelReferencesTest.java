package org.byov.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.ModelArtifact;
import org.byov.common.task.TaskKind;
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
 * Model references in a run's evaluation options ({@code baselineModel}, and {@code alignWith}
 * as {@code name} or {@code name:version}): checked against the registry when the run is created,
 * and resolved into the EVAL task input. The registered models come from real runs driven by
 * protocol workers.
 */
class RunModelReferencesTest {

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static Http http;
  private static JdbcTemplate jdbc;
  private static UUID byolRun;
  private static UUID bbbRun;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("run_references", artifacts);
    replica =
        orchestrators.start(
            "references",
            Map.of(
                "byov.registry.gates.min-probe-accuracy", "0.8",
                "byov.registry.gates.max-ece", "0.05"));
    http = new Http(replica.baseUrl());
    jdbc = replica.bean(JdbcTemplate.class);
    // ref-byol version 1 is in production; ref-bbb version 1 is registered only.
    byolRun = register("ref-byol", "byol", true);
    bbbRun = register("ref-bbb", "supervised-bbb", false);
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  @Test
  void unknownBaselineModelGets422() {
    Http.Response response = post(spec("rejected", "\"baselineModel\":\"no-such-model\""));

    assertProblem(response, "evaluation.baselineModel", "no model 'no-such-model' is registered");
    assertThat(response.json().get("detail").asString()).contains("GET /api/v1/models");
    assertThat(runsOf("rejected")).isZero();
  }

  @Test
  void missingVersionOrProductionGets422() {
    Http.Response version = post(spec("rejected", "\"baselineModel\":\"ref-byol:7\""));
    assertProblem(version, "evaluation.baselineModel", "has no version 7");
    assertThat(version.json().get("detail").asString()).contains("latest version is 1");

    Http.Response production = post(spec("rejected", "\"alignWith\":\"ref-bbb\""));
    assertProblem(production, "evaluation.alignWith", "has no production version");
    assertThat(production.json().get("detail").asString()).contains("ref-bbb:1");

    Http.Response notSupervised = post(spec("rejected", "\"alignWith\":\"ref-byol:1\""));
    assertProblem(notSupervised, "evaluation.alignWith", "trained with byol");

    assertThat(runsOf("rejected")).isZero();
  }

  @Test
  void referencesResolveIntoTheEvalTaskInput() {
    UUID runId = created(post(spec("with-references",
        "\"baselineModel\":\"ref-byol\",\"alignWith\":\"ref-bbb:1\"")));
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "references-1");
    worker.completeTrain(worker.claim(TaskKind.TRAIN, runId));

    ClaimedTask eval = worker.claim(TaskKind.EVAL, runId);

    // The artifact URIs are the ones FakeWorker completed the registered runs' TRAIN tasks with.
    assertThat(eval.input().artifactUri()).isEqualTo("file:///artifacts/runs/" + runId + "/model/");
    assertThat(eval.input().baselineModel()).isEqualTo(
        new ModelArtifact("ref-byol", 1, "file:///artifacts/runs/" + byolRun + "/model/"));
    assertThat(eval.input().alignWithModel()).isEqualTo(
        new ModelArtifact("ref-bbb", 1, "file:///artifacts/runs/" + bbbRun + "/model/"));
    JsonNode events = http.get("/api/v1/runs/" + runId + "/events", TestTokens.RUNS).json();
    assertThat(events.toString()).contains("Resolved baseline ref-byol:1 and alignment model ref-bbb:1");
    worker.completeEval(eval, 0.85, 0.03);
    Poll.untilTrue(Duration.ofSeconds(30), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(runId)));
  }

  @Test
  void runIdsPassToWorkerUnresolved() {
    UUID runId = created(post(spec("with-run-ids",
        "\"baselineRun\":\"" + byolRun + "\",\"alignWith\":\"" + bbbRun + "\"")));
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "references-2");
    worker.completeTrain(worker.claim(TaskKind.TRAIN, runId));

    ClaimedTask eval = worker.claim(TaskKind.EVAL, runId);

    assertThat(eval.input().baselineModel()).isNull();
    assertThat(eval.input().alignWithModel()).isNull();
    assertThat(eval.spec().evaluation().baselineRun()).isEqualTo(byolRun);
    assertThat(eval.spec().evaluation().alignWith()).isEqualTo(bbbRun.toString());
    worker.completeEval(eval, 0.85, 0.03);
    Poll.untilTrue(Duration.ofSeconds(30), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(runId)));
  }

  @Test
  void referenceThatDisappearsBeforeEvaluationFailsTheRun() {
    register("ref-gone", "byol", false);
    UUID runId = created(post(spec("gone-reference", "\"baselineModel\":\"ref-gone:1\"")));
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "references-3");
    ClaimedTask train = worker.claim(TaskKind.TRAIN, runId);
    // No API removes a version, so deleting the rows simulates a registry that lost it.
    jdbc.update("DELETE FROM model_evaluations WHERE model_name = 'ref-gone'");
    jdbc.update("DELETE FROM model_versions WHERE model_name = 'ref-gone'");

    worker.completeTrain(train);

    Poll.untilTrue(Duration.ofSeconds(30), "run FAILED", () -> "FAILED".equals(status(runId)));
    String error = http.get("/api/v1/runs/" + runId, TestTokens.RUNS).json().get("error").asString();
    assertThat(error).contains("evaluation.baselineModel").contains("no model 'ref-gone'");
    assertThat(jdbc.queryForObject(
        "SELECT count(*) FROM tasks WHERE run_id = ? AND kind = 'EVAL'", Integer.class, runId))
        .isZero();
  }

  /** Runs a model through train, evaluate (gates pass) and register; returns the run id. */
  private static UUID register(String model, String method, boolean promote) {
    UUID runId = created(post("""
        {"modelName":"%s","dataset":"fashion-mnist","method":"%s","epochs":1,"promote":%s}"""
        .formatted(model, method, promote)));
    FakeWorker worker = new FakeWorker(replica.baseUrl(), "register-" + model);
    worker.completeTrain(worker.claim(TaskKind.TRAIN, runId));
    worker.completeEval(worker.claim(TaskKind.EVAL, runId), 0.85, 0.03);
    Poll.untilTrue(Duration.ofSeconds(30), model + " registered", () -> "SUCCEEDED".equals(status(runId)));
    return runId;
  }

  private static String spec(String model, String evaluation) {
    return """
        {"modelName":"%s","dataset":"fashion-mnist","method":"byov","epochs":1,
         "evaluation":{%s}}""".formatted(model, evaluation);
  }

  private static Http.Response post(String body) {
    return http.post("/api/v1/runs", TestTokens.RUNS, body);
  }

  private static UUID created(Http.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return UUID.fromString(response.json().get("id").asString());
  }

  private static void assertProblem(Http.Response response, String field, String reason) {
    assertThat(response.status()).as(response.text()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("detail").asString()).startsWith(field + ": ").contains(reason);
    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
    assertThat(response.text()).doesNotContain("Exception");
  }

  private static int runsOf(String model) {
    return jdbc.queryForObject("SELECT count(*) FROM runs WHERE model_name = ?", Integer.class, model);
  }

  private static String status(UUID runId) {
    return jdbc.queryForObject("SELECT status FROM runs WHERE id = ?", String.class, runId);
  }
}
