package org.byov.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the Prometheus Operator CRDs (monitoring.coreos.com/v1, operator 0.7x-0.8x) that
 * the BYOV manifests use: the allowed fields, which of them are required, and their shapes.
 * fabric8 has no model classes for these kinds here, so this replaces the CRDs' OpenAPI
 * schemas. A field outside this subset is reported, so adding one means checking the CRD and
 * adding it here.
 */
final class PrometheusOperatorSchema {

  private PrometheusOperatorSchema() {}

  /** A schema node: an object with fields, a list of one node, a string map, or a scalar. */
  private sealed interface Node permits ObjectNode, ListNode, StringMapNode, ScalarNode {}

  private record ObjectNode(Set<String> required, Map<String, Node> fields) implements Node {}

  private record ListNode(Node element) implements Node {}

  private record StringMapNode() implements Node {}

  private record ScalarNode() implements Node {}

  private static final Node SCALAR = new ScalarNode();
  private static final Node STRING_MAP = new StringMapNode();

  private static final Node METADATA =
      new ObjectNode(
          Set.of("name"),
          Map.of("name", SCALAR, "labels", STRING_MAP, "annotations", STRING_MAP));

  private static final Node LABEL_SELECTOR =
      new ObjectNode(
          Set.of(),
          Map.of(
              "matchLabels", STRING_MAP,
              "matchExpressions",
                  new ListNode(
                      new ObjectNode(
                          Set.of("key", "operator"),
                          Map.of("key", SCALAR, "operator", SCALAR, "values", new ListNode(SCALAR))))));

  private static final Node SECRET_KEY =
      new ObjectNode(Set.of("key"), Map.of("name", SCALAR, "key", SCALAR, "optional", SCALAR));

  private static final Node AUTHORIZATION =
      new ObjectNode(Set.of(), Map.of("type", SCALAR, "credentials", SECRET_KEY));

  private static final Map<String, Node> ENDPOINT_FIELDS =
      Map.of(
          "port", SCALAR,
          "path", SCALAR,
          "scheme", SCALAR,
          "interval", SCALAR,
          "scrapeTimeout", SCALAR,
          "honorLabels", SCALAR,
          "authorization", AUTHORIZATION,
          "params", STRING_MAP);

  private static final Node SERVICE_MONITOR_SPEC =
      new ObjectNode(
          Set.of("selector", "endpoints"),
          Map.of(
              "selector", LABEL_SELECTOR,
              "jobLabel", SCALAR,
              "namespaceSelector",
                  new ObjectNode(Set.of(), Map.of("any", SCALAR, "matchNames", new ListNode(SCALAR))),
              "endpoints", new ListNode(new ObjectNode(Set.of("port"), ENDPOINT_FIELDS))));

  private static final Node POD_MONITOR_SPEC =
      new ObjectNode(
          Set.of("selector", "podMetricsEndpoints"),
          Map.of(
              "selector", LABEL_SELECTOR,
              "jobLabel", SCALAR,
              "podMetricsEndpoints", new ListNode(new ObjectNode(Set.of("port"), ENDPOINT_FIELDS))));

  private static final Node RULE =
      new ObjectNode(
          Set.of("expr"),
          Map.of(
              "alert", SCALAR,
              "record", SCALAR,
              "expr", SCALAR,
              "for", SCALAR,
              "keep_firing_for", SCALAR,
              "labels", STRING_MAP,
              "annotations", STRING_MAP));

  private static final Node PROMETHEUS_RULE_SPEC =
      new ObjectNode(
          Set.of("groups"),
          Map.of(
              "groups",
              new ListNode(
                  new ObjectNode(
                      Set.of("name", "rules"),
                      Map.of("name", SCALAR, "interval", SCALAR, "rules", new ListNode(RULE))))));

  private static final Map<String, Node> SPECS =
      Map.of(
          "ServiceMonitor", SERVICE_MONITOR_SPEC,
          "PodMonitor", POD_MONITOR_SPEC,
          "PrometheusRule", PROMETHEUS_RULE_SPEC);

  /** Returns what is wrong with an object of a Prometheus Operator kind; empty when nothing. */
  static List<String> violations(String kind, Map<String, Object> object) {
    Node spec = SPECS.get(kind);
    if (spec == null) {
      return List.of("unsupported kind " + kind + "; expected one of " + SPECS.keySet());
    }
    Node root =
        new ObjectNode(
            Set.of("apiVersion", "kind", "metadata", "spec"),
            Map.of("apiVersion", SCALAR, "kind", SCALAR, "metadata", METADATA, "spec", spec));
    List<String> violations = new ArrayList<>();
    check(root, object, kind, violations);
    if (!"monitoring.coreos.com/v1".equals(object.get("apiVersion"))) {
      violations.add(kind + ".apiVersion must be monitoring.coreos.com/v1");
    }
    return violations;
  }

  private static void check(Node node, Object value, String path, List<String> violations) {
    if (node instanceof ScalarNode) {
      if (value instanceof Map<?, ?> || value instanceof List<?>) {
        violations.add(path + " must be a scalar");
      }
    } else if (node instanceof StringMapNode) {
      checkStringMap(value, path, violations);
    } else if (node instanceof ListNode list) {
      checkList(list, value, path, violations);
    } else {
      checkObject((ObjectNode) node, value, path, violations);
    }
  }

  private static void checkStringMap(Object value, String path, List<String> violations) {
    if (!(value instanceof Map<?, ?> map)) {
      violations.add(path + " must be a map of strings");
      return;
    }
    map.forEach(
        (key, entry) -> {
          if (!(entry instanceof String)) {
            violations.add(path + "." + key + " must be a string, got " + entry);
          }
        });
  }

  private static void checkList(ListNode list, Object value, String path, List<String> violations) {
    if (!(value instanceof List<?> elements) || elements.isEmpty()) {
      violations.add(path + " must be a non-empty list");
      return;
    }
    for (int i = 0; i < elements.size(); i++) {
      check(list.element(), elements.get(i), path + "[" + i + "]", violations);
    }
  }

  private static void checkObject(
      ObjectNode object, Object value, String path, List<String> violations) {
    if (!(value instanceof Map<?, ?> map)) {
      violations.add(path + " must be an object");
      return;
    }
    for (String required : object.required()) {
      if (!map.containsKey(required)) {
        violations.add(path + "." + required + " is required");
      }
    }
    map.forEach(
        (key, entry) -> {
          Node field = object.fields().get(String.valueOf(key));
          if (field == null) {
            violations.add(path + "." + key + " is not a field of the CRD subset");
          } else {
            check(field, entry, path + "." + key, violations);
          }
        });
  }
}
