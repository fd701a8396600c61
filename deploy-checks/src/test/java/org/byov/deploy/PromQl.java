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
  private static final Pattern MATCHER_HEAD =
      Pattern.compile("\\s*,?\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
  private static final Pattern SELECTOR_END = Pattern.compile("\\s*,?\\s*}");

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

  /**
   * A label matcher with its value, matched as Prometheus matches it: a regular expression must
   * match the whole value, and a label that a series lacks has the empty value. Java's regular
   * expressions stand in for RE2, which is enough for the character classes, groups and
   * alternations of deploy/.
   */
  record LabelMatcher(String label, String operator, String value) {

    boolean matches(Map<String, String> series) {
      String actual = series.getOrDefault(label, "");
      return switch (operator) {
        case "=" -> actual.equals(value);
        case "!=" -> !actual.equals(value);
        case "=~" -> Pattern.compile(value).matcher(actual).matches();
        case "!~" -> !Pattern.compile(value).matcher(actual).matches();
        default -> throw new IllegalArgumentException(
            "Invalid label matcher operator " + operator + "; expected =, !=, =~ or !~");
      };
    }
  }

  /**
   * Returns the label matchers of every selector of {@code metric} in an expression, one list per
   * selector. String values may contain braces and escaped quotes.
   */
  static List<List<LabelMatcher>> matchers(String expression, String metric) {
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    Matcher name =
        Pattern.compile("\\b" + Pattern.quote(metric) + "\\s*\\{").matcher(expression);
    int from = 0;
    while (name.find(from)) {
      List<LabelMatcher> matchers = new ArrayList<>();
      from = readMatchers(expression, name.end(), matchers);
      selectors.add(matchers);
    }
    return selectors;
  }

  /**
   * Reads {@code label op "value"} entries up to the closing brace and returns the index
   * after it.
   */
  private static int readMatchers(String expression, int start, List<LabelMatcher> matchers) {
    int position = start;
    while (true) {
      Matcher end = SELECTOR_END.matcher(expression).region(position, expression.length());
      if (end.lookingAt()) {
        return end.end();
      }
      Matcher head = MATCHER_HEAD.matcher(expression).region(position, expression.length());
      if (!head.lookingAt()) {
        throw new IllegalArgumentException(
            "Cannot read the label matchers at: " + expression.substring(position));
      }
      // The value runs to the next unescaped quote, and a backslash keeps the character after it.
      StringBuilder value = new StringBuilder();
      int i = head.end();
      while (expression.charAt(i) != '"') {
        if (expression.charAt(i) == '\\') {
          i++;
        }
        value.append(expression.charAt(i));
        i++;
      }
      matchers.add(new LabelMatcher(head.group(1), head.group(2), value.toString()));
      position = i + 1;
    }
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
