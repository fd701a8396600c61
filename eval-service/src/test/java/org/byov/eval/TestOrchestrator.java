package org.byov.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.TaskKind;
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
 * database, with 10 s task leases and heartbeats every 2 s. The eval-service under test shares
 * the database, as it does in a deployment, and writes its own schema there.
 *
 * <p>The eval-service's application.yml comes first on this class path and hides the
 * orchestrator's file of the same name, so the orchestrator reads its own file from its jar (or
 * classes directory) through {@code spring.config.location}.
 */
final class TestOrchestrator implements AutoCloseable {

  static final String WORKER_TOKEN = "worker-token-0001";
  static final String RUNS_TOKEN = "runs-token-0001";
  static final String TOKEN_LIST =
      "worker:" + WORKER_TOKEN + ":worker,alice:" + RUNS_TOKEN + ":runs";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestPostgres.Database database;
  private final ConfigurableApplicationContext context;
  private final String baseUrl;
  private final JdbcTemplate jdbc;
  private final RestClient http;

  TestOrchestrator(String databasePrefix, Path workDirectory) {
    database = TestPostgres.newDatabase(databasePrefix);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.config.location", ownConfiguration(workDirectory).toUri().toString());
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
    properties.put("byov.artifacts.root", workDirectory.resolve("artifacts").toString());
    properties.put("spring.main.banner-mode", "off");
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("eval-test", properties));
    context =
        new SpringApplicationBuilder(OrchestratorApplication.class).environment(environment).run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    baseUrl = "http://127.0.0.1:" + port;
    jdbc = context.getBean(JdbcTemplate.class);
    http = RestClient.builder().baseUrl(baseUrl).build();
  }

  /** Copies the orchestrator's application.yml out of its jar or classes directory. */
  private static Path ownConfiguration(Path workDirectory) {
    String codeSource = OrchestratorApplication.class.getProtectionDomain().getCodeSource()
        .getLocation().toString();
    try {
      List<URL> candidates =
          Collections.list(TestOrchestrator.class.getClassLoader().getResources("application.yml"));
      URL own = candidates.stream()
          .filter(url -> url.toString().startsWith(codeSource)
              || url.toString().startsWith("jar:" + codeSource))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(
              "No application.yml of the orchestrator at " + codeSource + " among " + candidates));
      Path copy = workDirectory.resolve("orchestrator-application.yml");
      try (InputStream in = own.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not copy the orchestrator's application.yml", e);
    }
  }

  String baseUrl() {
    return baseUrl;
  }

  TestPostgres.Database database() {
    return database;
  }

  /** Creates a run of the given spec (JSON) and returns its id. */
  UUID createRun(String specJson) {
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

  /** Returns the run's task of {@code kind} once the run's job has created it, or null. */
  Task task(UUID runId, TaskKind kind) {
    List<Task> tasks =
        jdbc.query(
            "SELECT id, status, attempt, fencing_token, worker_id FROM tasks"
                + " WHERE run_id = ? AND kind = ?",
            (rs, i) ->
                new Task(
                    rs.getObject("id", UUID.class),
                    rs.getString("status"),
                    rs.getInt("attempt"),
                    rs.getLong("fencing_token"),
                    rs.getString("worker_id")),
            runId,
            kind.name());
    return tasks.isEmpty() ? null : tasks.get(0);
  }

  /** Returns the messages of the run's events of one type, oldest first. */
  List<String> eventMessages(UUID runId, String type) {
    return jdbc.queryForList(
        "SELECT message FROM run_events WHERE run_id = ? AND type = ? ORDER BY id",
        String.class,
        runId,
        type);
  }

  /** Returns the eval-service's row of a task from the evaluation schema: status and error. */
  Map<String, Object> evaluation(UUID taskId) {
    return jdbc.queryForMap(
        "SELECT status, error, attempt FROM evaluation.evaluations WHERE task_id = ?", taskId);
  }

  /** A task row: status, attempt, fencing token and the worker that has claimed it. */
  record Task(UUID id, String status, int attempt, long fencingToken, String workerId) {}

  @Override
  public void close() {
    context.close();
  }
}
