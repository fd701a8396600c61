package org.byov.deploy;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector matching ({@code matchLabels} and {@code matchExpressions} with the
 * operators In, NotIn, Exists and DoesNotExist), on selectors kept as plain maps. An empty
 * selector matches every pod, as in a NetworkPolicy's {@code podSelector: {}}.
 */
final class LabelSelector {

  private LabelSelector() {}

  /** Returns whether the selector selects a pod with these labels. */
  static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
    for (Map.Entry<String, Object> required : Yaml.map(selector.get("matchLabels")).entrySet()) {
      if (!String.valueOf(required.getValue()).equals(labels.get(required.getKey()))) {
        return false;
      }
    }
    for (Object entry : Yaml.list(selector.get("matchExpressions"))) {
      Map<String, Object> expression = Yaml.map(entry);
      String key = String.valueOf(expression.get("key"));
      List<String> values = Yaml.list(expression.get("values")).stream().map(String::valueOf).toList();
      String operator = String.valueOf(expression.get("operator"));
      boolean matched = switch (operator) {
        case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
        case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> throw new IllegalArgumentException(
            "Unknown label selector operator " + operator + "; expected In, NotIn, Exists or DoesNotExist");
      };
      if (!matched) {
        return false;
      }
    }
    return true;
  }
}
