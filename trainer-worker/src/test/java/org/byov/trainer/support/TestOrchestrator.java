package org.byov.trainer.support;

import org.byov.testing.Poll;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.orchestrator.OrchestratorApplication;
import org.byov.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real orchestrator, started in this JVM on a random port against a fresh PostgreSQL
 * database, with 10 s task leases and heartbeats every 2 s. An expired lease is noticed within
 * seconds, and a worker JVM that starts slowly on a busy machine still heartbeats in time.
 */
public final class TestOrchestrator implements AutoCloseable {

  public static final String WORKER_TOKEN = "worker-token-0001";
  public static final String RUNS_TOKEN = "runs-token-0001";
  public static final String ADMIN_TOKEN = "admin-token-0001";
  public static final String METRICS_TOKEN = "metrics-token-0001";
  public static final String TOKEN_LIST =
      "worker:" + WORKER_TOKEN + ":worker,alice:" + RUNS_TOKEN + ":runs,admin:" + ADMIN_TOKEN
          + ":admin,prometheus:" + METRICS_TOKEN + ":metrics";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ConfigurableApplicationContext context;
  private final String baseUrl;
  private final JdbcTemplate jdbc;
  private final RestClient http;

  public TestOrchestrator(String databasePrefix, Path artifactsRoot) {
    TestPostgres.Database database = TestPostgres.newDatabase(databasePrefix);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", database.url());
    properties.put("spring.datasource.username", database.user());
    properties.put("spring.datasource.password", database.password());
    properties.put("server.port", "0");
    properties.put("byov.security.token-list", TOKEN_LIST);
    properties.put("byov.orchestrator.replica-id", databasePrefix);
    properties.put("byov.orchestrator.lease-period", "10s");
    properties.put("byov.orchestrator.heartbeat-interval", "2s");
    properties.put("byov.orchestrator.owner-lease-period", "10s");
    properties.put("byov.orchestrator.maintenance-interval", "200ms");
    properties.put("byov.artifacts.root", artifactsRoot.toString());
    properties.put("spring.main.banner-mode", "off");
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("trainer-test", properties));
    context =
        new SpringApplicationBuilder(OrchestratorApplication.class).environment(environment).run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    baseUrl = "http://127.0.0.1:" + port;
    jdbc = context.getBean(JdbcTemplate.class);
    http = RestClient.builder().baseUrl(baseUrl).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Creates a run of the given spec (JSON) and returns its id. */
  public UUID createRun(String specJson) {
    JsonNode run =
        JSON.readTree(
            http.post()
                .uri("/api/v1/runs")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + RUNS_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .body(specJson)
                .retrieve()
                .body(String.class));
    return UUID.fromString(run.get("id").asString());
  }

  /** Requests a cancel of a run through the public API. */
  public void cancel(UUID runId) {
    http.post()
        .uri("/api/v1/runs/{id}:cancel", runId)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + RUNS_TOKEN)
        .retrieve()
        .toBodilessEntity();
  }

  /** Returns the run's per-epoch metrics history from the public API. */
  public JsonNode metricsHistory(UUID runId) {
    return JSON.readTree(
        http.get()
            .uri("/api/v1/runs/{id}/metrics", runId)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + RUNS_TOKEN)
            .retrieve()
            .body(String.class));
  }

  /** Returns the run as {@code GET /api/v1/runs/{id}} shows it, tasks and their progress included. */
  public JsonNode runView(UUID runId) {
    return JSON.readTree(
        http.get()
            .uri("/api/v1/runs/{id}", runId)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + RUNS_TOKEN)
            .retrieve()
            .body(String.class));
  }

  public String runStatus(UUID runId) {
    return jdbc.queryForObject("SELECT status FROM runs WHERE id = ?", String.class, runId);
  }

  /** Returns the TRAIN task of a run once the run's job has created it, or null. */
  public TrainTask trainTask(UUID runId) {
    List<TrainTask> tasks =
        jdbc.query(
            "SELECT id, status, attempt, fencing_token, (progress->>'step')::bigint AS step,"
                + " result::text AS result FROM tasks WHERE run_id = ? AND kind = 'TRAIN'",
            (rs, i) ->
                new TrainTask(
                    rs.getObject("id", UUID.class),
                    rs.getString("status"),
                    rs.getInt("attempt"),
                    rs.getLong("fencing_token"),
                    (Long) rs.getObject("step"),
                    rs.getString("result")),
            runId);
    return tasks.isEmpty() ? null : tasks.get(0);
  }

  /**
   * Waits until the run's TRAIN task is SUCCEEDED, FAILED or CANCELLED, or QUEUED again after
   * attempt 1 failed, and returns it.
   */
  public TrainTask awaitTrainTaskEnd(UUID runId, java.time.Duration timeout) {
    return Poll.until(timeout, "the TRAIN task of run " + runId + " to end", () -> {
      TrainTask task = trainTask(runId);
      if (task == null) {
        return null;
      }
      boolean ended =
          List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(task.status())
              || (task.status().equals("QUEUED") && task.attempt() > 1);
      return ended ? task : null;
    });
  }

  /** Returns the types of the run's events, oldest first. */
  public List<String> eventTypes(UUID runId) {
    return jdbc.queryForList(
        "SELECT type FROM run_events WHERE run_id = ? ORDER BY id", String.class, runId);
  }

  /** The TRAIN task row: status, attempt, fencing token, reported step and result JSON. */
  public record TrainTask(
      UUID id, String status, int attempt, long fencingToken, Long step, String result) {

    public long stepOrZero() {
      return step == null ? 0 : step;
    }

    public JsonNode resultJson() {
      return result == null ? null : JSON.readTree(result);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
