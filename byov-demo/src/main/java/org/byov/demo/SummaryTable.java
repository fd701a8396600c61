package org.byov.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table of BYOV against BYOL. Each row names the method that did better on that
 * metric, in the metric's own direction, including when BYOL wins or when they tie.
 */
final class SummaryTable {

  /** Whether a larger value of a metric is better. */
  enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER
  }

  /** One row: a metric key in the registry's headline metrics, its label and its direction. */
  record Row(String key, String label, Direction direction) {}

  /** The rows, in the order the summary prints them. */
  static final List<Row> ROWS = List.of(
      new Row("probeAccuracy", "Linear-probe accuracy", Direction.HIGHER_IS_BETTER),
      new Row("ece", "ECE (15 bins)", Direction.LOWER_IS_BETTER),
      new Row("brier", "Brier score", Direction.LOWER_IS_BETTER),
      new Row("nll", "NLL", Direction.LOWER_IS_BETTER),
      new Row("meanCorruptionEce", "Mean ECE over corruptions", Direction.LOWER_IS_BETTER),
      new Row("oodAuroc.max-probability", "OOD AUROC, max probability", Direction.HIGHER_IS_BETTER),
      new Row("oodAuroc.entropy", "OOD AUROC, predictive entropy", Direction.HIGHER_IS_BETTER),
      new Row("oodAuroc.mutual-information", "OOD AUROC, mutual information",
          Direction.HIGHER_IS_BETTER),
      new Row("oodAuroc.embedding-variance", "OOD AUROC, embedding variance",
          Direction.HIGHER_IS_BETTER),
      new Row("accuracyAt90.snr", "Probe accuracy at 90% sparsity, SNR",
          Direction.HIGHER_IS_BETTER),
      new Row("accuracyAt90.magnitude", "Probe accuracy at 90% sparsity, magnitude",
          Direction.HIGHER_IS_BETTER));

  private SummaryTable() {}

  /**
   * Renders the table. A metric missing for one method prints as "n/a", and so does its verdict.
   *
   * @param byov BYOV's headline metrics
   * @param byol BYOL's headline metrics
   * @param extraRows rows measured outside the evaluation (latency), label to [BYOV, BYOL] text
   */
  static String render(Map<String, Double> byov, Map<String, Double> byol,
      Map<String, String[]> extraRows) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"metric", "BYOV", "BYOL", "better"});
    for (Row row : ROWS) {
      Double a = byov.get(row.key());
      Double b = byol.get(row.key());
      rows.add(new String[] {row.label(), format(a), format(b), verdict(row.direction(), a, b)});
    }
    extraRows.forEach((label, values) ->
        rows.add(new String[] {label, values[0], values[1], values.length > 2 ? values[2] : ""}));
    return layout(rows);
  }

  /** Returns "BYOV", "BYOL", "tie" or "n/a" for one metric, in its direction. */
  static String verdict(Direction direction, Double byov, Double byol) {
    if (byov == null || byol == null || byov.isNaN() || byol.isNaN()) {
      return "n/a";
    }
    int comparison = Double.compare(round(byov), round(byol));
    if (comparison == 0) {
      return "tie";
    }
    boolean byovHigher = comparison > 0;
    boolean byovBetter = direction == Direction.HIGHER_IS_BETTER ? byovHigher : !byovHigher;
    return byovBetter ? "BYOV" : "BYOL";
  }

  private static double round(double value) {
    return Math.round(value * 10_000.0) / 10_000.0;
  }

  private static String format(Double value) {
    return value == null || value.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String layout(List<String[]> rows) {
    int[] widths = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      text.append(String.format("%-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2]
          + "s  %-" + widths[3] + "s", (Object[]) row).stripTrailing()).append('\n');
      if (r == 0) {
        text.append("-".repeat(widths[0] + widths[1] + widths[2] + widths[3] + 6)).append('\n');
      }
    }
    return text.toString();
  }
}
