package org.byov.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Input validation, idempotency keys and security of the runs API. Auto-launch is off, so
 * created runs stay QUEUED and no job runs.
 */
class RunApiValidationTest {

  private static final String VALID =
      """
      {"modelName":"valid-model","dataset":"fashion-mnist","method":"byov","epochs":3}""";

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static Http http;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("run_api", artifacts);
    replica = orchestrators.start("api", Map.of("byov.orchestrator.auto-launch", "false"));
    http = new Http(replica.baseUrl());
    jdbc = replica.bean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown prior      | prior             | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1,\"prior\":\"laplace\"}",
        "negative lr        | optimizer.lr      | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1,\"optimizer\":{\"lr\":-0.1}}",
        "zero epochs        | epochs            | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":0}",
        "unknown field      | learningRate      | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1,\"learningRate\":0.1}",
        "nested unknown     | evaluation.foo    | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1,\"evaluation\":{\"foo\":1}}",
        "string for int     | epochs            | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":\"ten\"}",
        "numeric string     | epochs            | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":\"10\"}",
        "number for string  | modelName         | {\"modelName\":5,\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1}",
        "unknown method     | method            | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"simclr\",\"epochs\":1}",
        "missing model name | modelName         | {\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1}",
        "bad coverage       | evaluation.targetCoverage | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byov\",\"epochs\":1,\"evaluation\":{\"targetCoverage\":1.5}}",
        "byol with scope    | bayesianScope     | {\"modelName\":\"m\",\"dataset\":\"d\",\"method\":\"byol\",\"epochs\":1,\"bayesianScope\":\"all\"}",
        "malformed JSON     | body              | {\"modelName\":",
      })
  void invalidSpecIsRejectedNamingField(String name, String field, String body) {
    Http.Response response = http.post("/api/v1/runs", TestTokens.RUNS, body);

    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("detail").asString()).contains(field);
    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
    assertThat(response.text()).doesNotContain("Exception").doesNotContain("at org.");
    assertThat(runCount()).isZero();
  }

  @Test
  void emptyBodyIsRejected() {
    Http.Response response = http.post("/api/v1/runs", TestTokens.RUNS, "");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("body");
    assertThat(runCount()).isZero();
  }

  @Test
  void idempotencyKeyReplaysAndRejectsOtherBody() {
    Map<String, String> key = Map.of("Idempotency-Key", "create-once-1");
    Http.Response first = http.post("/api/v1/runs", TestTokens.RUNS, VALID, key);
    assertThat(first.status()).isEqualTo(201);

    // The same body with other formatting is the same request.
    String reformatted = VALID.replace(",", ", ");
    Http.Response retry = http.post("/api/v1/runs", TestTokens.RUNS, reformatted, key);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().get("id").asString()).isEqualTo(first.json().get("id").asString());

    Http.Response other = http.post("/api/v1/runs", TestTokens.RUNS, VALID.replace("3", "4"), key);
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.contentType()).startsWith("application/problem+json");

    // Keys are scoped per caller: another caller's same key creates its own run.
    Http.Response otherCaller = http.post("/api/v1/runs", TestTokens.OTHER_RUNS, VALID, key);
    assertThat(otherCaller.status()).isEqualTo(201);
    assertThat(otherCaller.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());

    jdbc.update("DELETE FROM idempotency_keys");
    jdbc.update("DELETE FROM run_events");
    jdbc.update("DELETE FROM runs");
  }

  @Test
  void securityAnswers401And403AsProblems() {
    Http.Response noToken = http.get("/api/v1/runs", null);
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.contentType()).startsWith("application/problem+json");
    assertThat(noToken.headers().getFirst("WWW-Authenticate")).startsWith("Bearer");

    assertThat(http.get("/api/v1/runs", "not-a-configured-token").status()).isEqualTo(401);
    assertThat(http.get("/api/v1/runs", TestTokens.WORKER).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/runs", TestTokens.INFERENCE).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/models", TestTokens.INFERENCE).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/models/x/versions/1:promote", TestTokens.RUNS, null).status())
        .isEqualTo(403);

    String claim = "{\"kinds\":[\"TRAIN\"],\"workerId\":\"w\"}";
    assertThat(http.post("/internal/v1/tasks:claim", TestTokens.RUNS, claim).status()).isEqualTo(403);
    assertThat(http.post("/internal/v1/tasks:claim", TestTokens.ADMIN, claim).status()).isEqualTo(403);
    assertThat(http.post("/internal/v1/tasks:claim", null, claim).status()).isEqualTo(401);
    assertThat(http.post("/internal/v1/tasks:claim", TestTokens.WORKER, claim).status()).isEqualTo(204);
  }

  @Test
  void metricsTokenReadsOnlyPrometheus() {
    Http.Response scrape = http.get("/actuator/prometheus", TestTokens.METRICS);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.text()).contains("jvm_memory_used_bytes");
    assertThat(http.get("/actuator/prometheus", TestTokens.ADMIN).status()).isEqualTo(200);
    assertThat(http.get("/actuator/prometheus", TestTokens.RUNS).status()).isEqualTo(403);

    Http.Response runs = http.get("/api/v1/runs", TestTokens.METRICS);
    assertThat(runs.status()).isEqualTo(403);
    assertThat(runs.contentType()).startsWith("application/problem+json");
    assertThat(http.get("/api/v1/models", TestTokens.METRICS).status()).isEqualTo(403);
    assertThat(http.get("/actuator/metrics", TestTokens.METRICS).status()).isEqualTo(403);
    assertThat(http.get("/actuator/metrics", TestTokens.ADMIN).status()).isEqualTo(200);

    String claim = "{\"kinds\":[\"TRAIN\"],\"workerId\":\"w\"}";
    assertThat(http.post("/internal/v1/tasks:claim", TestTokens.METRICS, claim).status()).isEqualTo(403);
  }

  @Test
  void protocolErrorsAreProblems() {
    Http.Response notFound = http.get("/api/v1/runs/" + java.util.UUID.randomUUID(), TestTokens.RUNS);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.contentType()).startsWith("application/problem+json");

    Http.Response badId = http.get("/api/v1/runs/not-a-uuid", TestTokens.RUNS);
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().get("errors").get(0).get("field").asString()).isEqualTo("id");

    Http.Response wrongMethod =
        http.send(HttpMethod.PUT, "/api/v1/runs", TestTokens.RUNS, VALID, Map.of(), MediaType.APPLICATION_JSON);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.contentType()).startsWith("application/problem+json");

    Http.Response wrongType =
        http.send(HttpMethod.POST, "/api/v1/runs", TestTokens.RUNS, VALID, Map.of(), MediaType.TEXT_PLAIN);
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.contentType()).startsWith("application/problem+json");

    Http.Response unknownPath = http.get("/api/v1/nothing-here", TestTokens.RUNS);
    assertThat(unknownPath.status()).isEqualTo(404);
    assertThat(unknownPath.contentType()).startsWith("application/problem+json");

    Http.Response badPage = http.get("/api/v1/runs?size=0", TestTokens.RUNS);
    assertThat(badPage.status()).isEqualTo(400);
    assertThat(badPage.json().get("errors").get(0).get("field").asString()).isEqualTo("size");
  }

  @Test
  void listFiltersByStatusAndMethodNewestFirst() {
    String byol = "{\"modelName\":\"list-model\",\"dataset\":\"mnist\",\"method\":\"byol\",\"epochs\":1}";
    String byov = "{\"modelName\":\"list-model\",\"dataset\":\"mnist\",\"method\":\"byov\",\"epochs\":1}";
    String first = http.post("/api/v1/runs", TestTokens.RUNS, byol).json().get("id").asString();
    String second = http.post("/api/v1/runs", TestTokens.RUNS, byov).json().get("id").asString();
    String third = http.post("/api/v1/runs", TestTokens.RUNS, byol).json().get("id").asString();

    JsonNode byolPage = http.get("/api/v1/runs?method=byol&status=QUEUED", TestTokens.RUNS).json();
    assertThat(byolPage.get("total").asInt()).isEqualTo(2);
    assertThat(byolPage.get("items").get(0).get("id").asString()).isEqualTo(third);
    assertThat(byolPage.get("items").get(1).get("id").asString()).isEqualTo(first);

    JsonNode paged = http.get("/api/v1/runs?size=1&page=1", TestTokens.RUNS).json();
    assertThat(paged.get("items").get(0).get("id").asString()).isEqualTo(second);

    JsonNode docs = http.get("/v3/api-docs", null).json();
    assertThat(docs.get("paths").has("/api/v1/runs")).isTrue();
    assertThat(docs.get("components").get("schemas").get("RunSpec").get("properties").get("epochs")
            .get("description").asString())
        .isEqualTo("Training epochs.");

    jdbc.update("DELETE FROM run_events");
    jdbc.update("DELETE FROM runs");
  }

  private static int runCount() {
    return jdbc.queryForObject("SELECT count(*) FROM runs", Integer.class);
  }
}
