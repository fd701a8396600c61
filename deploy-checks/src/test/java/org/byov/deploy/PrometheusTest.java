package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks with a real Prometheus, the Debian package prometheus that scripts/install-test-tools.sh
 * installs. promtool checks the shipped configurations and rules. A Prometheus process then
 * scrapes the services running in this JVM with prometheus-local.yml pointed at their ports, and
 * its query API must accept every PromQL expression of the dashboards and alert rules. Without the
 * binaries the tests are skipped.
 */
class PrometheusTest {

  private static final Path PROMETHEUS_DIRECTORY = Repository.path("deploy/prometheus");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Bound on each wait for Prometheus; the waits end as soon as the condition holds. */
  private static final Duration WAIT_LIMIT = Duration.ofSeconds(90);

  private static Path workDirectory;
  private static Process prometheus;
  private static String baseUrl;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<ServiceModule, Integer> SCRAPED = new LinkedHashMap<>();

  static Stream<Dashboards.Query> expressions() {
    List<Dashboards.Query> expressions = new ArrayList<>(Dashboards.promQueries());
    PromQl.alertExpressions().forEach((alert, expression) ->
        expressions.add(new Dashboards.Query("alerts.yml", "alert " + alert, expression)));
    return expressions.stream();
  }

  @BeforeAll
  static void startPrometheus() throws IOException, InterruptedException {
    Assumptions.assumeTrue(onPath("prometheus") && onPath("promtool"),
        "prometheus or promtool is not installed: run scripts/install-test-tools.sh "
            + "(Debian package prometheus) to run the Prometheus checks");
    workDirectory = Files.createTempDirectory("byov-prometheus");
    Files.copy(PROMETHEUS_DIRECTORY.resolve("alerts.yml"), workDirectory.resolve("alerts.yml"));
    Files.writeString(workDirectory.resolve("prometheus-token"), RunningServices.PROMETHEUS_TOKEN);

    RunningServices services = RunningServices.get();
    for (RunningServices.Service service : services.running()) {
      SCRAPED.put(service.module(), service.port());
    }
    Path config = workDirectory.resolve("prometheus.yml");
    Files.writeString(config, JSON.writeValueAsString(scrapeConfiguration()));

    int port = freePort();
    baseUrl = "http://127.0.0.1:" + port;
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDirectory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(workDirectory.resolve("prometheus.log").toFile())
            .start();
    waitFor("Prometheus ready", () -> get("/-/ready").statusCode() == 200);
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  @Test
  void promtoolAcceptsAlertRules() throws IOException, InterruptedException {
    assertThat(run("promtool", "check", "rules", PROMETHEUS_DIRECTORY.resolve("alerts.yml").toString()))
        .as("promtool check rules deploy/prometheus/alerts.yml")
        .contains("SUCCESS");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedConfigurations")
  void promtoolAcceptsConfiguration(String fileName) throws IOException, InterruptedException {
    // promtool checks that credentials files exist. Each check therefore runs on a copy that
    // points at a token file of this test and is otherwise the shipped file.
    Map<String, Object> config = Yaml.document(PROMETHEUS_DIRECTORY.resolve(fileName));
    for (Object job : Yaml.list(config.get("scrape_configs"))) {
      Map<String, Object> authorization = Yaml.map(Yaml.map(job).get("authorization"));
      assertThat(authorization).as("authorization of job %s", Yaml.map(job).get("job_name"))
          .containsKey("credentials_file");
      authorization.put("credentials_file", workDirectory.resolve("prometheus-token").toString());
    }
    Path copy = workDirectory.resolve("check-" + fileName);
    Files.writeString(copy, JSON.writeValueAsString(config));

    assertThat(run("promtool", "check", "config", copy.toString()))
        .as("promtool check config of %s", fileName)
        .contains("SUCCESS");
  }

  static Stream<String> shippedConfigurations() {
    return Stream.of("prometheus.yml", "prometheus-local.yml");
  }

  @Test
  void prometheusScrapesRunningServices() throws IOException, InterruptedException {
    Assumptions.assumeFalse(SCRAPED.isEmpty(), "no BYOV service runs in this build yet");

    waitFor("every target scraped", () -> targets().stream().noneMatch(t -> t.path("health").asString().equals("unknown")));

    for (JsonNode target : targets()) {
      assertThat(target.path("health").asString())
          .as("health of %s (%s)", target.path("labels").path("job").asString(), target.path("lastError").asString())
          .isEqualTo("up");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void prometheusAcceptsExpression(Dashboards.Query query) throws IOException, InterruptedException {
    String expression = Dashboards.expandPromQl(query.text());

    JsonNode response = JSON.readTree(get("/api/v1/query?query=" + encode(expression)).body());

    assertThat(response.path("status").asString())
        .as("%s: %s (%s)", query, expression, response.path("error").asString())
        .isEqualTo("success");
  }

  @Test
  void exportedMetricsReturnSeries() throws IOException, InterruptedException {
    Assumptions.assumeFalse(SCRAPED.isEmpty(), "no BYOV service runs in this build yet");
    Set<String> queried = new TreeSet<>();
    expressions().forEach(query -> PromQl.selectors(query.text()).forEach(s -> queried.add(s.metric())));
    Set<String> exported = new TreeSet<>();
    RunningServices services = RunningServices.get();
    for (RunningServices.Service service : services.running()) {
      HttpResponse<String> scrape = services.scrape(service);
      if (scrape.statusCode() == 200) {
        exported.addAll(PromQl.series(scrape.body()).keySet());
      }
    }
    queried.retainAll(exported);
    queried.add("up");
    // Samples become queryable shortly after a scrape starts, so each query is retried until
    // the wait limit before the assertion.
    for (String metric : queried) {
      String query = "/api/v1/query?query=" + encode(metric);
      try {
        waitFor("series of " + metric, () -> JSON.readTree(get(query).body()).path("data").path("result").size() > 0);
      } catch (AssertionError timedOut) {
        // The assertion below reports the empty result.
      }
      assertThat(JSON.readTree(get(query).body()).path("data").path("result").size())
          .as("series of %s in Prometheus", metric)
          .isPositive();
    }
  }

  @Test
  void alertRulesLoadAndEvaluate() throws IOException, InterruptedException {
    waitFor("one evaluation of every rule group", () -> ruleGroups().stream()
        .allMatch(group -> !group.path("lastEvaluation").asString().startsWith("0001")));

    Set<String> loaded = new TreeSet<>();
    for (JsonNode group : ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        loaded.add(rule.path("name").asString());
        assertThat(rule.path("health").asString())
            .as("health of rule %s (%s)", rule.path("name").asString(), rule.path("lastError").asString())
            .isEqualTo("ok");
      }
    }
    assertThat(loaded).containsExactlyInAnyOrderElementsOf(PromQl.alertExpressions().keySet());
  }

  /** Returns prometheus-local.yml with 1 s intervals, the test token and the services' ports. */
  private static Map<String, Object> scrapeConfiguration() {
    Map<String, Object> config = Yaml.document(PROMETHEUS_DIRECTORY.resolve("prometheus-local.yml"));
    Map<String, Object> global = Yaml.map(config.get("global"));
    global.put("scrape_interval", "1s");
    global.put("evaluation_interval", "1s");
    List<Object> jobs = new ArrayList<>();
    for (Object job : Yaml.list(config.get("scrape_configs"))) {
      Map<String, Object> definition = Yaml.map(job);
      ServiceModule module =
          ServiceModule.ofDirectory(String.valueOf(definition.get("job_name")).replaceFirst("^byov-", ""));
      if (!SCRAPED.containsKey(module)) {
        continue;
      }
      String shippedTarget = String.valueOf(Yaml.at(definition, "static_configs", 0, "targets", 0));
      assertThat(shippedTarget).as("target of job %s", definition.get("job_name"))
          .isEqualTo("127.0.0.1:" + module.port);
      Yaml.map(definition.get("authorization"))
          .put("credentials_file", workDirectory.resolve("prometheus-token").toString());
      definition.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + SCRAPED.get(module)))));
      jobs.add(definition);
    }
    config.put("scrape_configs", jobs);
    config.put("rule_files", List.of(workDirectory.resolve("alerts.yml").toString()));
    return config;
  }

  private static List<JsonNode> targets() throws IOException, InterruptedException {
    List<JsonNode> targets = new ArrayList<>();
    JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets").forEach(targets::add);
    return targets;
  }

  private static List<JsonNode> ruleGroups() throws IOException, InterruptedException {
    List<JsonNode> groups = new ArrayList<>();
    JSON.readTree(get("/api/v1/rules").body()).path("data").path("groups").forEach(groups::add);
    return groups;
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A condition that may throw while Prometheus is still starting. */
  private interface Check {
    boolean holds() throws IOException, InterruptedException;
  }

  private static void waitFor(String what, Check check) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (IOException e) {
        // Prometheus is not listening yet.
      }
      if (!prometheus.isAlive()) {
        throw new AssertionError("Prometheus exited with " + prometheus.exitValue() + "; see " + workDirectory.resolve("prometheus.log"));
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Timed out after " + WAIT_LIMIT + " waiting for " + what + "; see " + workDirectory.resolve("prometheus.log"));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    assertThat(exit).as("exit status of %s:%n%s", String.join(" ", command), output).isZero();
    return output;
  }

  private static boolean onPath(String binary) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":")).map(directory -> Path.of(directory, binary)).anyMatch(Files::isExecutable);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }

  private static String encode(String expression) {
    return URLEncoder.encode(expression, StandardCharsets.UTF_8);
  }
}
