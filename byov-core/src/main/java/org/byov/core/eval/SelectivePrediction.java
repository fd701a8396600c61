package org.byov.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.byov.core.metrics.MetricValue;

/**
 * Selective prediction (Geifman and El-Yaniv 2017, "Selective Classification for Deep Neural
 * Networks"): the model abstains on the examples it is most uncertain about. An example is
 * accepted when its uncertainty score is at most a threshold; scores are oriented so that higher
 * means more uncertain.
 *
 * <p>The risk-coverage curve orders examples from least to most uncertain; at coverage k / N the
 * risk is the error rate among the k accepted examples. Examples with equal scores cannot be
 * ordered, so within a group of ties the errors are spread evenly: the expected risk over every
 * order of the tied examples. AURC (Geifman, Uziel and El-Yaniv 2019, "Bias-Reduced Uncertainty
 * Estimation for Deep Neural Classifiers") is the mean of that risk over k = 1..N.
 */
public final class SelectivePrediction {

  /** Default fraction of examples to keep when choosing an abstain threshold. */
  public static final double DEFAULT_TARGET_COVERAGE = 0.95;

  private SelectivePrediction() {}

  /**
   * One point of the risk-coverage curve, at the end of a group of equal scores.
   *
   * @param threshold the group's score; examples with uncertainty <= threshold are accepted
   * @param coverage fraction of examples accepted
   * @param risk error rate among the accepted examples
   */
  public record RiskCoveragePoint(double threshold, double coverage, double risk) {}

  /**
   * Risk-coverage curve and its area.
   *
   * @param points one point per distinct score, in increasing coverage
   * @param aurc area under the risk-coverage curve, or no value for an empty input
   */
  public record RiskCoverageCurve(List<RiskCoveragePoint> points, MetricValue aurc) {
    public RiskCoverageCurve {
      points = List.copyOf(points);
    }
  }

  /**
   * Abstain threshold chosen on a validation split.
   *
   * @param threshold accept an example when its uncertainty is at most this
   * @param targetCoverage fraction of validation examples the threshold was chosen to keep
   * @param validationCoverage fraction actually kept on the validation split, at least the
   *     target (more when examples tie at the threshold)
   * @param validationCount number of validation examples
   */
  public record AbstainThreshold(
      double threshold, double targetCoverage, double validationCoverage, int validationCount) {}

  /**
   * Outcome of applying a threshold to a split.
   *
   * @param threshold the threshold applied
   * @param accepted number of examples accepted
   * @param total number of examples
   * @param coverage accepted / total, or no value when there are no examples
   * @param accuracy accuracy on the accepted examples, or no value when none is accepted
   */
  public record SelectiveResult(
      double threshold, int accepted, int total, MetricValue coverage, MetricValue accuracy) {}

  /**
   * Computes the risk-coverage curve and AURC.
   *
   * @param uncertainty score of each example, higher = more uncertain
   * @param correct whether each example's prediction is correct
   */
  public static RiskCoverageCurve riskCoverage(double[] uncertainty, boolean[] correct) {
    requireSameLength(uncertainty, correct);
    int n = uncertainty.length;
    if (n == 0) {
      return new RiskCoverageCurve(
          List.of(), MetricValue.undefined("no examples: AURC needs at least one"));
    }
    int[] order = ascending(uncertainty);

    List<RiskCoveragePoint> points = new ArrayList<>();
    double area = 0;
    int errorsBefore = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      int groupErrors = 0;
      while (end < n && uncertainty[order[end]] == uncertainty[order[start]]) {
        groupErrors += correct[order[end]] ? 0 : 1;
        end++;
      }
      int groupSize = end - start;
      for (int k = start + 1; k <= end; k++) {
        double expectedErrors = errorsBefore + (double) (k - start) * groupErrors / groupSize;
        area += expectedErrors / k;
      }
      errorsBefore += groupErrors;
      points.add(new RiskCoveragePoint(
          uncertainty[order[start]], (double) end / n, (double) errorsBefore / end));
      start = end;
    }
    return new RiskCoverageCurve(points, MetricValue.of(area / n));
  }

  /**
   * Chooses the smallest threshold that accepts at least {@code targetCoverage} of the
   * validation examples: the ceil(target * N)-th smallest uncertainty.
   *
   * @param validationUncertainty scores of the validation split, never the test split
   * @param targetCoverage fraction to keep, in (0, 1]
   * @throws IllegalArgumentException if the validation split is empty
   */
  public static AbstainThreshold chooseThreshold(
      double[] validationUncertainty, double targetCoverage) {
    requireFinite(validationUncertainty);
    if (!(targetCoverage > 0 && targetCoverage <= 1)) {
      throw new IllegalArgumentException(
          "target coverage is " + targetCoverage + "; expected a value in (0, 1]");
    }
    int n = validationUncertainty.length;
    if (n == 0) {
      throw new IllegalArgumentException(
          "validation uncertainty is empty; an abstain threshold needs validation examples");
    }
    double[] sorted = validationUncertainty.clone();
    Arrays.sort(sorted);
    // Tolerate target * N landing just above an integer through rounding, as 0.95 * 100 does.
    int keep = (int) Math.ceil(targetCoverage * n - 1e-9);
    keep = Math.max(1, Math.min(n, keep));
    double threshold = sorted[keep - 1];

    int accepted = 0;
    for (double value : validationUncertainty) {
      accepted += value <= threshold ? 1 : 0;
    }
    return new AbstainThreshold(threshold, targetCoverage, (double) accepted / n, n);
  }

  /** Chooses the threshold for {@link #DEFAULT_TARGET_COVERAGE}. */
  public static AbstainThreshold chooseThreshold(double[] validationUncertainty) {
    return chooseThreshold(validationUncertainty, DEFAULT_TARGET_COVERAGE);
  }

  /** Applies a threshold to a split and returns its coverage and selective accuracy. */
  public static SelectiveResult apply(double threshold, double[] uncertainty, boolean[] correct) {
    requireSameLength(uncertainty, correct);
    int accepted = 0;
    int acceptedCorrect = 0;
    for (int i = 0; i < uncertainty.length; i++) {
      if (uncertainty[i] <= threshold) {
        accepted++;
        acceptedCorrect += correct[i] ? 1 : 0;
      }
    }
    int total = uncertainty.length;
    MetricValue coverage = total == 0
        ? MetricValue.undefined("no examples: coverage needs at least one")
        : MetricValue.of((double) accepted / total);
    MetricValue accuracy = accepted == 0
        ? MetricValue.undefined("no example accepted at threshold " + threshold)
        : MetricValue.of((double) acceptedCorrect / accepted);
    return new SelectiveResult(threshold, accepted, total, coverage, accuracy);
  }

  private static int[] ascending(double[] values) {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Double.compare(values[a], values[b]));
    int[] order = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  private static void requireSameLength(double[] uncertainty, boolean[] correct) {
    requireFinite(uncertainty);
    if (correct == null || correct.length != uncertainty.length) {
      throw new IllegalArgumentException("expected one correctness flag per score ("
          + uncertainty.length + "), got " + (correct == null ? "null" : correct.length));
    }
  }

  private static void requireFinite(double[] uncertainty) {
    if (uncertainty == null) {
      throw new IllegalArgumentException("uncertainty scores are missing (null)");
    }
    for (int i = 0; i < uncertainty.length; i++) {
      if (!Double.isFinite(uncertainty[i])) {
        throw new IllegalArgumentException(
            "uncertainty score at row " + i + " is " + uncertainty[i] + "; expected finite");
      }
    }
  }
}
