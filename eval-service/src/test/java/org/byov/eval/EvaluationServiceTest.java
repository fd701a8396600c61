package org.byov.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.eval.worker.EvaluationTaskRunner;
import org.byov.eval.worker.ModelLoader;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.eval.worker-enabled=false",
    "byov.security.token-list=ops:admin-token:admin,alice:runs-token:runs,w:worker-token:worker",
    "byov.eval.train-limit=300",
    "byov.eval.test-limit=100",
    "byov.eval.ood-limit=100",
    "byov.eval.severities=2"})
class EvaluationServiceTest {

  @TempDir
  static Path artifacts;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestPostgres.Database database = TestPostgres.newDatabase("eval");
    registry.add("spring.datasource.url", database::url);
    registry.add("spring.datasource.username", database::user);
    registry.add("spring.datasource.password", database::password);
    registry.add("byov.eval.artifacts-root", () -> artifacts.toString());
  }

  @TestConfiguration
  static class Models {
    @Bean
    ModelLoader modelLoader() {
      return new RandomModelLoader();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  EvaluationTaskRunner runner;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  JsonMapper json;

  @Test
  void evaluationIsStoredReportedAndReplacedOnRerun() throws Exception {
    Path model = RandomModelLoader.writeModel(artifacts.resolve("candidate"), "byov", "last-1", 1);
    UUID taskId = UUID.randomUUID();
    RecordingTaskClient client = new RecordingTaskClient();

    runner.run(task(taskId, model, 1, 4), client);

    assertThat(client.failures).isEmpty();
    assertThat(client.completed).hasSize(1);
    TaskResult result = client.completed.get(0);
    UUID evaluationId = result.evaluationId();
    assertThat(result.headlineMetrics()).containsKeys("probeAccuracy", "ece", "brier", "nll",
        "meanCorruptionEce", "oodAuroc", "oodAuroc.embedding-variance", "accuracyAt90.snr",
        "accuracyAt90.magnitude", "abstainThreshold", "abstainTargetCoverage");
    assertThat(result.abstainThreshold()).isEqualTo(result.headlineMetrics().get(
        "abstainThreshold"));
    int metricRows = count("metrics", evaluationId);
    assertThat(metricRows).isGreaterThan(50);
    assertThat(count("reliability_bins", evaluationId)).isEqualTo(15 * (1 + 7));
    assertThat(count("pruning_points", evaluationId)).isEqualTo(2 * 7);
    assertThat(count("layer_snr", evaluationId)).isEqualTo(1);
    assertThat(count("ood_results", evaluationId)).isEqualTo(4);
    assertThat(jdbc.queryForObject("SELECT status FROM evaluation.evaluations WHERE id = ?",
        String.class, evaluationId)).isEqualTo("succeeded");

    Path report = artifacts.resolve("evaluations").resolve(evaluationId.toString())
        .resolve("report");
    String html = Files.readString(report.resolve("index.html"));
    for (String plot : List.of("reliability", "corruption-accuracy", "corruption-ece", "pruning",
        "ood-max-probability", "ood-entropy", "ood-mutual-information",
        "ood-embedding-variance")) {
      assertThat(report.resolve(plot + ".png")).isNotEmptyFile();
      assertThat(html).contains("src=\"" + plot + ".png\"");
    }

    runner.run(task(taskId, model, 2, 5), client);

    assertThat(client.completed).hasSize(2);
    assertThat(client.completed.get(1).evaluationId()).isEqualTo(evaluationId);
    assertThat(count("metrics", evaluationId)).isEqualTo(metricRows);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation.evaluations WHERE task_id = ?",
        Integer.class, taskId)).isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT attempt FROM evaluation.evaluations WHERE id = ?",
        Integer.class, evaluationId)).isEqualTo(2);

    ResponseEntity<String> view = get("/api/v1/evaluations/" + evaluationId, "runs-token");
    assertThat(view.getStatusCode().value()).isEqualTo(200);
    JsonNode body = json.readTree(view.getBody());
    assertThat(body.at("/evaluation/status").asString()).isEqualTo("succeeded");
    assertThat(body.at("/metrics").size()).isEqualTo(metricRows);
    ResponseEntity<String> page = get("/api/v1/evaluations/" + evaluationId + "/report",
        "runs-token");
    assertThat(page.getStatusCode().value()).isEqualTo(200);
    assertThat(page.getBody()).contains("<base href=\"/api/v1/evaluations/" + evaluationId);
    ResponseEntity<String> plot = get("/api/v1/evaluations/" + evaluationId
        + "/report/reliability.png", "runs-token");
    assertThat(plot.getStatusCode().value()).isEqualTo(200);
    assertThat(plot.getHeaders().getContentType().toString()).isEqualTo("image/png");
  }

  @Test
  void corruptModelFailsWithoutRetry() throws Exception {
    Path model = RandomModelLoader.writeModel(artifacts.resolve("corrupt"), "byov", "last-1", 2);
    Files.writeString(model.resolve("corrupt"), "");
    RecordingTaskClient client = new RecordingTaskClient();
    UUID taskId = UUID.randomUUID();

    runner.run(task(taskId, model, 1, 1), client);

    assertThat(client.completed).isEmpty();
    assertThat(client.failures).hasSize(1);
    assertThat(client.failures.get(0).retryable()).isFalse();
    assertThat(client.failures.get(0).error()).contains("rejected").contains("does not match");
    assertThat(jdbc.queryForObject("SELECT status FROM evaluation.evaluations WHERE task_id = ?",
        String.class, taskId)).isEqualTo("failed");
  }

  @Test
  void unknownEvaluationIsProblem404() throws Exception {
    ResponseEntity<String> response = get("/api/v1/evaluations/" + UUID.randomUUID(),
        "runs-token");

    assertThat(response.getStatusCode().value()).isEqualTo(404);
    assertThat(response.getHeaders().getContentType().toString())
        .startsWith("application/problem+json");
    assertThat(json.readTree(response.getBody()).get("status").asInt()).isEqualTo(404);
  }

  @Test
  void unknownReportIsProblem404() throws Exception {
    ResponseEntity<String> response = get("/api/v1/evaluations/" + UUID.randomUUID()
        + "/report", "runs-token");

    assertThat(response.getStatusCode().value()).isEqualTo(404);
    assertThat(response.getHeaders().getContentType().toString())
        .startsWith("application/problem+json");
  }

  @Test
  void malformedIdIsProblem400() {
    ResponseEntity<String> response = get("/api/v1/evaluations/not-a-uuid", "runs-token");

    assertThat(response.getStatusCode().value()).isEqualTo(400);
    assertThat(response.getBody()).contains("not a UUID");
  }

  @Test
  void missingTokenIs401AndWorkerTokenIs403() {
    assertThat(get("/api/v1/evaluations/" + UUID.randomUUID(), null).getStatusCode().value())
        .isEqualTo(401);
    assertThat(get("/api/v1/evaluations/" + UUID.randomUUID(), "worker-token").getStatusCode()
        .value()).isEqualTo(403);
  }

  private ClaimedTask task(UUID taskId, Path model, int attempt, long fencingToken) {
    RunSpec spec = json.readValue("""
        {"modelName": "test", "dataset": "fashion-mnist", "method": "byov", "seed": 3,
         "evaluation": {"samples": 2, "oodDataset": "mnist", "corruptions": true,
                        "targetCoverage": 0.9}}
        """, RunSpec.class);
    return new ClaimedTask(taskId, UUID.randomUUID(), TaskKind.EVAL, spec,
        new TaskInput(model.toUri().toString(), null, null, null), fencingToken, attempt,
        Instant.now().plusSeconds(60), 1);
  }

  private int count(String table, UUID evaluationId) {
    return jdbc.queryForObject("SELECT count(*) FROM evaluation." + table
        + " WHERE evaluation_id = ?", Integer.class, evaluationId);
  }

  private ResponseEntity<String> get(String path, String token) {
    RestClient.RequestHeadersSpec<?> request = RestClient.create("http://127.0.0.1:" + port)
        .get().uri(path);
    if (token != null) {
      request = request.header("Authorization", "Bearer " + token);
    }
    return request.retrieve().onStatus(HttpStatusCode::isError, (req, res) -> { })
        .toEntity(String.class);
  }
}
