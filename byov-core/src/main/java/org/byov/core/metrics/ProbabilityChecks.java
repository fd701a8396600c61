package org.byov.core.metrics;

/**
 * Input checks shared by the metrics: probability rows and labels are validated before any metric
 * is computed, and every error names the offending row.
 */
public final class ProbabilityChecks {

  /**
   * Largest accepted deviation of a probability row's sum from 1. Softmax outputs computed in
   * float32 and averaged over samples deviate by about 1e-6; a larger deviation means the input is
   * not a probability vector (for example logits).
   */
  public static final double SUM_TOLERANCE = 1e-4;

  private ProbabilityChecks() {}

  /**
   * Checks that {@code probabilities} is a non-ragged {@code [N][K]} matrix whose rows are
   * probability vectors: every entry finite and non-negative, every row summing to 1 within
   * {@link #SUM_TOLERANCE}.
   *
   * @return the number of classes K, or 0 when there are no rows
   * @throws IllegalArgumentException naming the first invalid row
   */
  public static int requireProbabilityRows(double[][] probabilities) {
    return requireProbabilityRows(probabilities, "probabilities");
  }

  static int requireProbabilityRows(double[][] probabilities, String name) {
    if (probabilities == null) {
      throw new IllegalArgumentException(name + " is missing (null)");
    }
    if (probabilities.length == 0) {
      return 0;
    }
    int classes = requireRow(probabilities, 0, name).length;
    if (classes == 0) {
      throw new IllegalArgumentException(name + " row 0 has no classes; expected at least one");
    }
    for (int i = 0; i < probabilities.length; i++) {
      double[] row = requireRow(probabilities, i, name);
      if (row.length != classes) {
        throw new IllegalArgumentException(
            name + " row " + i + " has " + row.length + " classes but row 0 has " + classes);
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        double p = row[k];
        if (Double.isNaN(p) || p < 0 || Double.isInfinite(p)) {
          throw new IllegalArgumentException(
              name + " row " + i + " has invalid probability " + p + " for class " + k
                  + "; expected a finite value >= 0");
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw new IllegalArgumentException(
            name + " row " + i + " sums to " + sum + ", expected 1 within " + SUM_TOLERANCE
                + "; pass softmax probabilities, not logits");
      }
    }
    return classes;
  }

  /**
   * Checks that {@code labels} has one entry per example, each in {@code [0, classes)}.
   *
   * @throws IllegalArgumentException naming the first invalid label's index
   */
  public static void requireLabels(int[] labels, int examples, int classes) {
    if (labels == null) {
      throw new IllegalArgumentException("labels is missing (null)");
    }
    if (labels.length != examples) {
      throw new IllegalArgumentException(
          "labels has " + labels.length + " entries but there are " + examples + " examples");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + " is outside the class range [0, " + classes
                + ")");
      }
    }
  }

  /**
   * Checks a probability of the positive class for each example of a binary problem.
   *
   * @throws IllegalArgumentException naming the first value outside [0, 1] or NaN
   */
  public static void requirePositiveProbabilities(double[] positiveProbabilities) {
    if (positiveProbabilities == null) {
      throw new IllegalArgumentException("positive-class probabilities are missing (null)");
    }
    for (int i = 0; i < positiveProbabilities.length; i++) {
      double p = positiveProbabilities[i];
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(
            "positive-class probability at row " + i + " is " + p + "; expected a value in [0, 1]");
      }
    }
  }

  /**
   * Checks that every score is finite.
   *
   * @throws IllegalArgumentException naming the first non-finite score
   */
  public static void requireFiniteScores(double[] scores, String name) {
    if (scores == null) {
      throw new IllegalArgumentException(name + " is missing (null)");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            name + " row " + i + " is " + scores[i] + "; expected a finite score");
      }
    }
  }

  private static double[] requireRow(double[][] rows, int index, String name) {
    if (rows[index] == null) {
      throw new IllegalArgumentException(name + " row " + index + " is missing (null)");
    }
    return rows[index];
  }
}
