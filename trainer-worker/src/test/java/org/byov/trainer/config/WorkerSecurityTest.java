package org.byov.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.byov.trainer.support.TestOrchestrator;
import org.byov.trainer.support.TestWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * Route rules of the worker's actuator port. The orchestrator URL points at a closed port, so the
 * worker only retries its claims while the test sends requests.
 */
class WorkerSecurityTest {

  @TempDir static Path artifacts;

  private static TestWorkers.InProcess worker;
  private static RestClient http;

  @BeforeAll
  static void startWorker() {
    TestWorkers workers = new TestWorkers("http://127.0.0.1:9", artifacts);
    worker = workers.startInProcess(TestWorkers.workerId("security"), Map.of());
    http = RestClient.create("http://127.0.0.1:" + worker.port());
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void metricsTokenReadsOnlyPrometheus() {
    ResponseEntity<String> scrape =
        send(HttpMethod.GET, "/actuator/prometheus", TestOrchestrator.METRICS_TOKEN);
    assertThat(scrape.getStatusCode().value()).isEqualTo(200);
    assertThat(scrape.getBody()).contains("application=\"byov-trainer-worker\"");

    ResponseEntity<String> metrics =
        send(HttpMethod.GET, "/actuator/metrics", TestOrchestrator.METRICS_TOKEN);
    assertThat(metrics.getStatusCode().value()).isEqualTo(403);
    assertThat(metrics.getHeaders().getContentType().toString())
        .startsWith("application/problem+json");
    assertThat(send(HttpMethod.GET, "/actuator/env", TestOrchestrator.METRICS_TOKEN)
        .getStatusCode().value()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/api/v1/runs", TestOrchestrator.METRICS_TOKEN)
        .getStatusCode().value()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/actuator/prometheus", TestOrchestrator.METRICS_TOKEN)
        .getStatusCode().value()).isEqualTo(403);
  }

  @Test
  void prometheusNeedsMetricsOrAdminToken() {
    assertThat(send(HttpMethod.GET, "/actuator/prometheus", TestOrchestrator.ADMIN_TOKEN)
        .getStatusCode().value()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/actuator/prometheus", TestOrchestrator.WORKER_TOKEN)
        .getStatusCode().value()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/actuator/prometheus", TestOrchestrator.RUNS_TOKEN)
        .getStatusCode().value()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/actuator/prometheus", null).getStatusCode().value())
        .isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/actuator/health", null).getStatusCode().value())
        .isEqualTo(200);
  }

  private static ResponseEntity<String> send(HttpMethod method, String path, String token) {
    RestClient.RequestBodySpec request = http.method(method).uri(path);
    if (token != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    return request.retrieve().onStatus(HttpStatusCode::isError, (req, res) -> { })
        .toEntity(String.class);
  }
}
