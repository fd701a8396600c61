package org.byov.core.metrics;

/**
 * Top-label calibration of a classifier (Guo et al. 2017, "On Calibration of Modern Neural
 * Networks"; ECE and MCE after Naeini et al. 2015). The confidence of an example is its largest
 * class probability, and the outcome is whether that class (the first one on a tie) is the label.
 * Bin b of B covers (b / B, (b + 1) / B], and confidence 0 falls in the first bin.
 *
 * <p>For the reliability of the positive-class probability of a binary problem, which bins a
 * different quantity, use {@link PositiveClassReliability}.
 */
public final class TopLabelCalibration {

  /** Default number of equal-width confidence bins. */
  public static final int DEFAULT_BINS = 15;

  private TopLabelCalibration() {}

  /**
   * Computes the reliability bins, ECE and MCE with {@link #DEFAULT_BINS} bins.
   *
   * @param probabilities class probabilities {@code [N][K]}, rows summing to 1
   * @param labels true class of each example
   */
  public static ReliabilityDiagram reliability(double[][] probabilities, int[] labels) {
    return reliability(probabilities, labels, DEFAULT_BINS);
  }

  /** Computes the reliability bins, ECE and MCE with {@code bins} equal-width bins. */
  public static ReliabilityDiagram reliability(double[][] probabilities, int[] labels, int bins) {
    int classes = ProbabilityChecks.requireProbabilityRows(probabilities);
    ProbabilityChecks.requireLabels(labels, probabilities.length, classes);

    double[] confidences = new double[probabilities.length];
    boolean[] correct = new boolean[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      int predicted = ClassificationMetrics.argmax(probabilities[i]);
      confidences[i] = probabilities[i][predicted];
      correct[i] = predicted == labels[i];
    }
    return ReliabilityDiagram.compute(confidences, correct, bins);
  }

  /** Returns the expected calibration error with {@link #DEFAULT_BINS} bins. */
  public static MetricValue expectedCalibrationError(double[][] probabilities, int[] labels) {
    return reliability(probabilities, labels).expectedCalibrationError();
  }

  /** Returns the expected calibration error with {@code bins} bins. */
  public static MetricValue expectedCalibrationError(
      double[][] probabilities, int[] labels, int bins) {
    return reliability(probabilities, labels, bins).expectedCalibrationError();
  }

  /** Returns the maximum calibration error with {@link #DEFAULT_BINS} bins. */
  public static MetricValue maximumCalibrationError(double[][] probabilities, int[] labels) {
    return reliability(probabilities, labels).maximumCalibrationError();
  }

  /** Returns the maximum calibration error with {@code bins} bins. */
  public static MetricValue maximumCalibrationError(
      double[][] probabilities, int[] labels, int bins) {
    return reliability(probabilities, labels, bins).maximumCalibrationError();
  }
}
