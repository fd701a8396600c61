package org.byov.core.metrics;

/**
 * Reliability of the positive-class probability of a binary classifier: examples are binned by
 * p(y = 1), and each bin compares its mean p(y = 1) with the fraction of examples whose label is
 * 1. This is a different metric from top-label ECE ({@link TopLabelCalibration}), which bins the
 * confidence of the predicted class, so the two disagree on the same input and are stored under
 * separate names. Bin b of B covers (b / B, (b + 1) / B], and probability 0 falls in the first bin.
 */
public final class PositiveClassReliability {

  private PositiveClassReliability() {}

  /**
   * Computes the reliability bins and the calibration errors of the positive-class probability.
   *
   * @param positiveProbabilities p(y = 1) for each example, in [0, 1]
   * @param labels label of each example, 0 or 1
   * @param bins number of equal-width bins, at least 1
   */
  public static ReliabilityDiagram reliability(
      double[] positiveProbabilities, int[] labels, int bins) {
    ProbabilityChecks.requirePositiveProbabilities(positiveProbabilities);
    ProbabilityChecks.requireLabels(labels, positiveProbabilities.length, 2);

    boolean[] positive = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      positive[i] = labels[i] == 1;
    }
    return ReliabilityDiagram.compute(positiveProbabilities, positive, bins);
  }

  /**
   * Returns the positive-class calibration error: sum over bins of (count / N) * |fraction of
   * positives - mean p(y = 1)|.
   */
  public static MetricValue calibrationError(
      double[] positiveProbabilities, int[] labels, int bins) {
    return reliability(positiveProbabilities, labels, bins).expectedCalibrationError();
  }
}
