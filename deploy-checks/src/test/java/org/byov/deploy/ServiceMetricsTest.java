package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric that a dashboard or an alert rule queries is one that a running BYOV service
 * exports on /actuator/prometheus, with the labels the query matches on. The services run in this
 * JVM (see {@link RunningServices}) and are scraped with the token Prometheus uses.
 */
class ServiceMetricsTest {

  private static final Map<ServiceModule, Map<String, Set<String>>> EXPORTED = new EnumMap<>(ServiceModule.class);
  private static final Map<ServiceModule, String> PROBLEMS = new EnumMap<>(ServiceModule.class);

  /** A metric that deploy/ queries, with where and the label names it matches on. */
  record Use(String metric, Set<String> labels, String origin) {
    @Override
    public String toString() {
      return metric + " in " + origin;
    }
  }

  static Stream<Use> uses() {
    List<Use> uses = new ArrayList<>();
    for (Dashboards.Query query : Dashboards.promQueries()) {
      for (PromQl.Selector selector : PromQl.selectors(query.text())) {
        uses.add(new Use(selector.metric(), selector.labels(), query.toString()));
      }
    }
    PromQl.alertExpressions().forEach((alert, expression) -> {
      for (PromQl.Selector selector : PromQl.selectors(expression)) {
        uses.add(new Use(selector.metric(), selector.labels(), "alert " + alert));
      }
    });
    return uses.stream().filter(use -> !PromQl.external(use.metric()));
  }

  @BeforeAll
  static void scrapeServices() {
    RunningServices services = RunningServices.get();
    for (ServiceModule module : ServiceModule.values()) {
      RunningServices.Service service = services.service(module);
      if (!service.running()) {
        PROBLEMS.put(module, service.problem());
        continue;
      }
      HttpResponse<String> response = services.scrape(service);
      if (response.statusCode() != 200) {
        PROBLEMS.put(module, "/actuator/prometheus returned HTTP " + response.statusCode()
            + " to a bearer token with the admin role");
        continue;
      }
      EXPORTED.put(module, PromQl.series(response.body()));
    }
  }

  @Test
  void deployQueriesServiceMetrics() {
    assertThat(uses().map(Use::metric)).contains(
        "byov_tasks_queued", "byov_train_images_per_second", "byov_inference_latency_seconds_bucket",
        "byov_runs_finished_total", "byov_train_collapse", "byov_tasks_lease_expired_total");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void serviceServesPrometheusMetrics(ServiceModule module) {
    Assumptions.assumeFalse(
        PROBLEMS.getOrDefault(module, "").startsWith("no application.yml"),
        module + " is not in this build yet: " + PROBLEMS.get(module));

    assertThat(PROBLEMS.get(module)).as("problem of %s", module).isNull();
    assertThat(EXPORTED.get(module)).as("series of %s", module).containsKey("jvm_memory_used_bytes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uses")
  void queriedMetricIsExported(Use use) {
    ServiceModule owner = PromQl.owner(use.metric());
    Map<String, Set<String>> series = owner == null ? allSeries() : EXPORTED.get(owner);
    if (owner != null) {
      Assumptions.assumeTrue(series != null,
          owner + " does not run in this build (" + PROBLEMS.get(owner) + "), so " + use + " is not checked");
    } else {
      Assumptions.assumeFalse(EXPORTED.isEmpty(), "no service runs in this build, so " + use + " is not checked");
    }

    assertThat(series).as("series exported by %s", owner == null ? "the services" : owner).containsKey(use.metric());
    Set<String> labels = new TreeSet<>(series.get(use.metric()));
    // Prometheus adds job and instance when it scrapes.
    labels.add("job");
    labels.add("instance");
    assertThat(labels).as("labels of %s", use).containsAll(use.labels());
  }

  private static Map<String, Set<String>> allSeries() {
    Map<String, Set<String>> all = new LinkedHashMap<>();
    EXPORTED.values().forEach(series -> series.forEach((name, labels) ->
        all.computeIfAbsent(name, key -> new TreeSet<>()).addAll(labels)));
    return all;
  }

  static Map<ServiceModule, Map<String, Set<String>>> exported() {
    return EXPORTED;
  }
}
