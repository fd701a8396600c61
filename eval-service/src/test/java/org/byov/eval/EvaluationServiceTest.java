package org.byov.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.ModelArtifact;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.eval.evaluations.ReportFiles;
import org.byov.eval.worker.EvaluationTaskRunner;
import org.byov.core.probe.LinearProbe;
import org.byov.core.train.Method;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
    "byov.security.token-list=ops:admin-token:admin,alice:runs-token:runs,w:worker-token:worker,"
        + "prometheus:metrics-token:metrics",
    "byov.eval.train-limit=300",
    "byov.eval.test-limit=100",
    "byov.eval.ood-limit=100",
    "byov.eval.severities=2"})
@AutoConfigureMetrics
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

  static Path byov;
  static Path byol;
  static Path bbb;

  @BeforeAll
  static void trainModels() throws Exception {
    byov = TinyModels.train(artifacts.resolve("byov-model"), Method.BYOV, 1);
    byol = TinyModels.train(artifacts.resolve("byol-model"), Method.BYOL, 2);
    bbb = TinyModels.train(artifacts.resolve("bbb-model"), Method.SUPERVISED_BBB, 3);
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
    UUID taskId = UUID.randomUUID();
    RecordingTaskClient client = new RecordingTaskClient();

    runner.run(task(taskId, byov, byol, 1, 4), client);

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
    // 15 bins for the clean test set and for each of the 7 corruptions at severity 2, for the
    // candidate and the baseline.
    assertThat(count("reliability_bins", evaluationId)).isEqualTo(2 * 15 * (1 + 7));
    // 7 sparsities by SNR and magnitude for BYOV, by magnitude only for the deterministic BYOL.
    assertThat(count("pruning_points", evaluationId)).isEqualTo(2 * 7 + 7);
    assertThat(count("layer_snr", evaluationId)).isEqualTo(1);
    assertThat(count("ood_results", evaluationId)).isEqualTo(2 * 4);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation.metrics WHERE evaluation_id"
        + " = ? AND model = 'baseline' AND score = 'magnitude'", Integer.class, evaluationId))
        .isEqualTo(7);
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
    assertThat(report.resolve("baseline-ood-entropy.png")).isNotEmptyFile();

    runner.run(task(taskId, byov, byol, 2, 5), client);

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
  void modelReferencesAreEvaluatedAndNamed() throws Exception {
    // The registered versions lie in the artifact store as the orchestrator resolved them.
    Path baselineVersion = artifacts.resolve("runs/registered-byol/model");
    Path alignVersion = artifacts.resolve("runs/registered-bbb/model");
    copy(byol, baselineVersion);
    copy(bbb, alignVersion);
    TaskInput input = new TaskInput(byov.toUri().toString(), null, null, null).withModels(
        new ModelArtifact("byol-fmnist", 3, baselineVersion.toUri().toString()),
        new ModelArtifact("bbb-fmnist", 2, alignVersion.toUri().toString()));
    RecordingTaskClient client = new RecordingTaskClient();

    runner.run(task(UUID.randomUUID(), input,
        "\"baselineModel\": \"byol-fmnist\", \"alignWith\": \"bbb-fmnist:2\""), client);

    assertThat(client.failures).isEmpty();
    UUID evaluationId = client.completed.get(0).evaluationId();
    assertThat(client.completed.get(0).headlineMetrics()).containsKeys("alignment.pearson",
        "alignment.spearman");
    // The same counts as with a baseline run: 15 bins for the clean test set and each of the 7
    // corruptions at severity 2, and 7 magnitude pruning points for the deterministic BYOL.
    assertThat(count("reliability_bins", evaluationId)).isEqualTo(2 * 15 * (1 + 7));
    assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation.pruning_points WHERE"
        + " evaluation_id = ? AND model = 'baseline'", Integer.class, evaluationId)).isEqualTo(7);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation.ood_results WHERE"
        + " evaluation_id = ? AND model = 'baseline'", Integer.class, evaluationId)).isEqualTo(4);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation.metrics WHERE evaluation_id"
        + " = ? AND model = 'candidate' AND metric LIKE 'alignment-%'", Integer.class,
        evaluationId)).isEqualTo(4);
    Map<String, Object> row = jdbc.queryForMap("SELECT baseline_directory,"
        + " baseline_model_name, baseline_model_version, align_with_directory,"
        + " align_with_model_name, align_with_model_version FROM evaluation.evaluations"
        + " WHERE id = ?", evaluationId);
    assertThat(row).containsEntry("baseline_model_name", "byol-fmnist")
        .containsEntry("baseline_model_version", 3)
        .containsEntry("baseline_directory", baselineVersion.toAbsolutePath().toString())
        .containsEntry("align_with_model_name", "bbb-fmnist")
        .containsEntry("align_with_model_version", 2)
        .containsEntry("align_with_directory", alignVersion.toAbsolutePath().toString());

    Path report = artifacts.resolve("evaluations").resolve(evaluationId.toString())
        .resolve("report");
    String html = Files.readString(report.resolve("index.html"));
    assertThat(html).contains("<td>registered model</td><td>-</td><td>byol-fmnist:3</td>")
        .contains("Uncertainty alignment with bbb-fmnist:2 (");
    for (String plot : List.of("reliability", "corruption-ece", "pruning",
        "baseline-ood-max-probability")) {
      assertThat(report.resolve(plot + ".png")).isNotEmptyFile();
      assertThat(html).contains("src=\"" + plot + ".png\"");
    }
    // The candidate's probe, in the file and format the inference API reads.
    LinearProbe probe = LinearProbe.load(report.resolve(ReportFiles.PROBE_FILE));
    assertThat(probe.classes()).isEqualTo(10);

    JsonNode body = json.readTree(get("/api/v1/evaluations/" + evaluationId, "runs-token")
        .getBody());
    assertThat(body.at("/evaluation/baselineModel").asString()).isEqualTo("byol-fmnist");
    assertThat(body.at("/evaluation/baselineModelVersion").asInt()).isEqualTo(3);
    assertThat(body.at("/evaluation/alignWithModel").asString()).isEqualTo("bbb-fmnist");
    assertThat(body.at("/evaluation/alignWithModelVersion").asInt()).isEqualTo(2);
  }

  @Test
  void corruptBaselineVersionFailsNamingIt() throws Exception {
    Path baselineVersion = artifacts.resolve("runs/corrupt-byol/model");
    copy(byol, baselineVersion);
    byte[] weights = Files.readAllBytes(baselineVersion.resolve("model.params"));
    weights[weights.length / 2] ^= 0x01;
    Files.write(baselineVersion.resolve("model.params"), weights);
    TaskInput input = new TaskInput(byov.toUri().toString(), null, null, null).withModels(
        new ModelArtifact("byol-fmnist", 4, baselineVersion.toUri().toString()), null);
    RecordingTaskClient client = new RecordingTaskClient();
    UUID taskId = UUID.randomUUID();

    runner.run(task(taskId, input, "\"baselineModel\": \"byol-fmnist:4\""), client);

    assertThat(client.completed).isEmpty();
    assertThat(client.failures.get(0).retryable()).isFalse();
    assertThat(client.failures.get(0).error()).contains("baseline byol-fmnist:4")
        .contains("rejected").contains("model.params");
    assertThat(jdbc.queryForMap("SELECT status, baseline_model_name, baseline_model_version"
        + " FROM evaluation.evaluations WHERE task_id = ?", taskId))
        .containsEntry("status", "failed").containsEntry("baseline_model_name", "byol-fmnist")
        .containsEntry("baseline_model_version", 4);
  }

  @Test
  void unresolvedModelReferenceFailsTask() throws Exception {
    RecordingTaskClient client = new RecordingTaskClient();
    TaskInput input = new TaskInput(byov.toUri().toString(), null, null, null);

    runner.run(task(UUID.randomUUID(), input, "\"alignWith\": \"bbb-fmnist\""), client);

    assertThat(client.completed).isEmpty();
    assertThat(client.failures.get(0).retryable()).isFalse();
    assertThat(client.failures.get(0).error()).contains("evaluation.alignWith 'bbb-fmnist'")
        .contains("no resolved model");
  }

  @Test
  void corruptModelFailsWithoutRetry() throws Exception {
    Path model = artifacts.resolve("corrupt-model");
    copy(byov, model);
    byte[] weights = Files.readAllBytes(model.resolve("model.params"));
    weights[weights.length / 2] ^= 0x01;
    Files.write(model.resolve("model.params"), weights);
    RecordingTaskClient client = new RecordingTaskClient();
    UUID taskId = UUID.randomUUID();

    runner.run(task(taskId, model, null, 1, 1), client);

    assertThat(client.completed).isEmpty();
    assertThat(client.failures).hasSize(1);
    assertThat(client.failures.get(0).retryable()).isFalse();
    assertThat(client.failures.get(0).error()).contains("rejected").contains("model.params");
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

  @Test
  void metricsTokenReadsOnlyPrometheus() {
    ResponseEntity<String> scrape = get("/actuator/prometheus", "metrics-token");
    assertThat(scrape.getStatusCode().value()).isEqualTo(200);
    assertThat(scrape.getBody()).contains("jvm_memory_used_bytes");
    assertThat(get("/actuator/prometheus", "admin-token").getStatusCode().value()).isEqualTo(200);
    assertThat(get("/actuator/prometheus", "runs-token").getStatusCode().value()).isEqualTo(403);

    ResponseEntity<String> evaluation =
        get("/api/v1/evaluations/" + UUID.randomUUID(), "metrics-token");
    assertThat(evaluation.getStatusCode().value()).isEqualTo(403);
    assertThat(evaluation.getHeaders().getContentType().toString())
        .startsWith("application/problem+json");
    assertThat(get("/actuator/metrics", "metrics-token").getStatusCode().value()).isEqualTo(403);
    assertThat(get("/actuator/metrics", "admin-token").getStatusCode().value()).isEqualTo(200);
  }

  /**
   * Returns a claimed EVAL task of {@code model}; a baseline lies where the artifact layout puts
   * the model of its run, runs/{runId}/model.
   */
  private ClaimedTask task(UUID taskId, Path model, Path baseline, int attempt,
      long fencingToken) throws Exception {
    String baselineRun = "null";
    if (baseline != null) {
      UUID runId = UUID.randomUUID();
      copy(baseline, artifacts.resolve("runs").resolve(runId.toString()).resolve("model"));
      baselineRun = "\"" + runId + "\"";
    }
    RunSpec spec = json.readValue("""
        {"modelName": "test", "dataset": "fashion-mnist", "method": "byov", "seed": 3,
         "evaluation": {"samples": 2, "oodDataset": "mnist", "corruptions": true,
                        "targetCoverage": 0.9, "baselineRun": %s}}
        """.formatted(baselineRun), RunSpec.class);
    return new ClaimedTask(taskId, UUID.randomUUID(), TaskKind.EVAL, spec,
        new TaskInput(model.toUri().toString(), null, null, null), fencingToken, attempt,
        Instant.now().plusSeconds(60), 1);
  }

  /** Returns a claimed EVAL task with {@code input} and these evaluation options (JSON members). */
  private ClaimedTask task(UUID taskId, TaskInput input, String evaluation) {
    RunSpec spec = json.readValue("""
        {"modelName": "test", "dataset": "fashion-mnist", "method": "byov", "seed": 3,
         "evaluation": {"samples": 2, "oodDataset": "mnist", "corruptions": true,
                        "targetCoverage": 0.9, %s}}
        """.formatted(evaluation), RunSpec.class);
    return new ClaimedTask(taskId, UUID.randomUUID(), TaskKind.EVAL, spec, input, 1, 1,
        Instant.now().plusSeconds(60), 1);
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
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
