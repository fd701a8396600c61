package org.byov.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label matchers that PromQL expressions use, and the series of a Prometheus
 * text exposition, read with regular expressions. That is enough for the expressions of deploy/:
 * Prometheus itself parses them in PrometheusTest.
 */
final class PromQl {

  /** Prefixes of the series that the checked expressions may reference. */
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:byov|http_server|jvm|process|kube)_[a-zA-Z0-9_]+|up)\\b(\\{[^}]*})?");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  private PromQl() {}

  /** A metric that an expression selects, with the label names of its matchers. */
  record Selector(String metric, Set<String> labels) {}

  /** Returns the metric selectors of an expression, label matchers included. */
  static List<Selector> selectors(String expression) {
    List<Selector> selectors = new ArrayList<>();
    Matcher metric = METRIC.matcher(withoutStrings(expression));
    while (metric.find()) {
      Set<String> labels = new TreeSet<>();
      if (metric.group(2) != null) {
        Matcher matcher = MATCHER.matcher(metric.group(2));
        while (matcher.find()) {
          labels.add(matcher.group(1));
        }
      }
      selectors.add(new Selector(metric.group(1), labels));
    }
    return selectors;
  }

  /** Replaces the contents of string literals with x, so that label values are not read as names. */
  private static String withoutStrings(String expression) {
    return expression.replaceAll("\"[^\"]*\"", "\"x\"");
  }

  /** Returns each series name of a text exposition with the label names it carries. */
  static Map<String, Set<String>> series(String exposition) {
    Map<String, Set<String>> series = new TreeMap<>();
    for (String line : exposition.lines().toList()) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.find()) {
        continue;
      }
      Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return series;
  }

  /** Returns every expression of the alert rules, keyed by alert name. */
  static Map<String, String> alertExpressions() {
    Map<String, String> expressions = new LinkedHashMap<>();
    Map<String, Object> alerts = Yaml.document(Repository.path("deploy/prometheus/alerts.yml"));
    for (Object group : Yaml.list(alerts.get("groups"))) {
      for (Object rule : Yaml.list(Yaml.map(group).get("rules"))) {
        Map<String, Object> definition = Yaml.map(rule);
        expressions.put(String.valueOf(definition.get("alert")), String.valueOf(definition.get("expr")));
      }
    }
    return expressions;
  }

  /** Returns the service that exports a metric by its name, or null for series from elsewhere. */
  static ServiceModule owner(String metric) {
    if (metric.startsWith("byov_tasks_") || metric.startsWith("byov_runs_")) {
      return ServiceModule.ORCHESTRATOR;
    }
    if (metric.startsWith("byov_train_")) {
      return ServiceModule.TRAINER_WORKER;
    }
    if (metric.startsWith("byov_eval_")) {
      return ServiceModule.EVAL_SERVICE;
    }
    if (metric.startsWith("byov_inference_")) {
      return ServiceModule.INFERENCE_API;
    }
    return null;
  }

  /** Returns whether Prometheus or kube-state-metrics makes the series, not a BYOV service. */
  static boolean external(String metric) {
    return metric.equals("up") || metric.startsWith("kube_");
  }
}
