package org.byov.core.metrics;

import java.util.Objects;

/**
 * The value of a metric, or no value and the reason why there is none (for example an empty input,
 * or AUROC over a single class). A metric never reports 0 or NaN in place of a missing value.
 *
 * @param value the metric value, or {@code null} when it is undefined for the input
 * @param reason why the value is undefined, or {@code null} when there is a value
 */
public record MetricValue(Double value, String reason) {

  public MetricValue {
    if ((value == null) == (reason == null)) {
      throw new IllegalArgumentException(
          "A metric value needs exactly one of value and reason, got value=" + value
              + ", reason=" + reason);
    }
    if (value != null && !Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "A metric value must be finite, got " + value + "; report a reason instead");
    }
  }

  /** Creates a defined metric value. */
  public static MetricValue of(double value) {
    return new MetricValue(value, null);
  }

  /** Creates an undefined metric value with the reason it is undefined. */
  public static MetricValue undefined(String reason) {
    return new MetricValue(null, Objects.requireNonNull(reason, "reason"));
  }

  /** Returns whether the metric has a value. */
  public boolean isDefined() {
    return value != null;
  }

  /**
   * Returns the value.
   *
   * @throws IllegalStateException if the metric is undefined, with the reason
   */
  public double orElseThrow() {
    if (value == null) {
      throw new IllegalStateException("Metric is undefined: " + reason);
    }
    return value;
  }
}
