package org.byov.core.eval.suite;

import java.util.Objects;

/**
 * One number of an evaluation in long form. The key columns never hold null, so that a row can be
 * found and replaced by its key: {@link #NONE} stands for "not applicable" in the text columns,
 * severity 0 is the clean input and sparsity 0 the unpruned model.
 *
 * @param model {@code candidate} for the evaluated model, {@code baseline} for the one beside it
 * @param split {@code validation}, {@code test} or {@code ood}
 * @param corruption corruption name, or {@link #NONE}
 * @param severity corruption severity 1 to 5, or 0 for clean input
 * @param score uncertainty score or pruning criterion ({@code snr}, {@code magnitude}), or
 *     {@link #NONE}
 * @param sparsity fraction of pruned weights in [0, 1]
 * @param metric metric name, for example {@code ece}
 * @param value the value, or null when the metric is undefined
 * @param reason why the value is undefined, or null
 */
public record MetricRow(String model, String split, String corruption, int severity, String score,
    double sparsity, String metric, Double value, String reason) {

  /** The key value for "not applicable". */
  public static final String NONE = "none";

  public MetricRow {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(corruption, "corruption");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(metric, "metric");
    if ((value == null) == (reason == null)) {
      throw new IllegalArgumentException("Metric " + metric + " needs either a value or a reason");
    }
  }
}
