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

  /**
   * Gaps of the services in this build that the checks know about, each with its reason: a
   * service that does not start ("service:<module>") or a metric that no service registers. A
   * listed gap is skipped with its reason; {@link #knownGapsAreStillOpen()} fails once a gap is
   * closed, so that the list only shrinks.
   */
  static final Map<String, String> KNOWN_GAPS = Map.of();

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
            + " to a bearer token with the metrics role");
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
        PROBLEMS.getOrDefault(module, "").startsWith("no "),
        module + " is not in this build yet: " + PROBLEMS.get(module));

    Assumptions.assumeFalse(
        PROBLEMS.containsKey(module) && KNOWN_GAPS.containsKey("service:" + module),
        "known gap: " + KNOWN_GAPS.get("service:" + module));

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
    if (!series.containsKey(use.metric()) && owner != null) {
      // A meter with tags known only at run time (a step's device, a run's final state) is
      // registered on first use; its name must then be in the owner's sources.
      Assumptions.assumeFalse(KNOWN_GAPS.containsKey(use.metric()), "known gap: " + KNOWN_GAPS.get(use.metric()));
      assertThat(registeredInSources(owner, use.metric()))
          .as("%s: neither exported by %s after start nor registered in its sources as %s",
              use, owner, micrometerName(use.metric()))
          .isTrue();
      return;
    }

    assertThat(series).as("series exported by %s", owner == null ? "the services" : owner).containsKey(use.metric());
    Set<String> labels = new TreeSet<>(series.get(use.metric()));
    // Prometheus adds job and instance when it scrapes.
    labels.add("job");
    labels.add("instance");
    assertThat(labels).as("labels of %s", use).containsAll(use.labels());
  }

  @Test
  void knownGapsAreStillOpen() {
    KNOWN_GAPS.forEach((gap, reason) -> {
      if (gap.startsWith("service:")) {
        ServiceModule module = ServiceModule.ofDirectory(gap.substring("service:".length()));
        assertThat(PROBLEMS).as("%s is fixed; remove it from KNOWN_GAPS", reason).containsKey(module);
      } else {
        ServiceModule owner = PromQl.owner(gap);
        assertThat(registeredInSources(owner, gap)).as("%s is fixed; remove it from KNOWN_GAPS", reason).isFalse();
      }
    });
  }

  /** Returns the Micrometer name of a Prometheus series: byov_tasks_claim_seconds_bucket to byov.tasks.claim. */
  static String micrometerName(String series) {
    return series.replaceFirst("_(total|bucket|count|sum|max)$", "")
        .replaceFirst("_seconds$", "")
        .replace('_', '.');
  }

  /**
   * Returns whether the owner's sources register the meter; for a {@code _bucket} series the same
   * file must also publish a histogram (percentile histogram or SLO buckets).
   */
  private static boolean registeredInSources(ServiceModule module, String series) {
    String literal = "\"" + micrometerName(series) + "\"";
    return Repository.files(Repository.path(module.directory + "/src/main/java"), ".java").stream()
        .map(Repository::read)
        .filter(text -> text.contains(literal))
        .anyMatch(text -> !series.endsWith("_bucket")
            || text.contains("publishPercentileHistogram") || text.contains("serviceLevelObjectives"));
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
