package org.byov.core.eval;

import java.util.Arrays;
import org.byov.core.metrics.MetricValue;

/**
 * Agreement between two models' per-example predictive standard deviations on the same inputs
 * (for example BYOV against a supervised Bayes-by-Backprop model): Pearson correlation, Spearman
 * rank correlation with average ranks for ties, and a Gaussian fit of the ratio.
 */
public final class UncertaintyAlignment {

  private UncertaintyAlignment() {}

  /**
   * Alignment of two models' standard deviations.
   *
   * @param pearson Pearson correlation of the standard deviations
   * @param spearman Spearman correlation: Pearson correlation of their average ranks
   * @param ratioMean mean of std / baseline std over the pairs with a non-zero baseline
   * @param ratioStd maximum-likelihood standard deviation (dividing by the count) of that ratio
   * @param pairs number of examples compared
   * @param zeroBaselinePairs pairs left out of the ratio because the baseline std is 0
   */
  public record Alignment(
      MetricValue pearson,
      MetricValue spearman,
      MetricValue ratioMean,
      MetricValue ratioStd,
      int pairs,
      int zeroBaselinePairs) {}

  /**
   * Compares the standard deviations of a model with those of a baseline.
   *
   * @param std predictive std of the model under evaluation, one per example, >= 0
   * @param baselineStd predictive std of the baseline on the same examples, >= 0
   */
  public static Alignment compare(double[] std, double[] baselineStd) {
    requirePairs(std, baselineStd);
    requireNonNegative(std, "std");
    requireNonNegative(baselineStd, "baseline std");

    int usable = 0;
    for (double value : baselineStd) {
      usable += value > 0 ? 1 : 0;
    }
    double[] ratios = new double[usable];
    int r = 0;
    for (int i = 0; i < std.length; i++) {
      if (baselineStd[i] > 0) {
        ratios[r++] = std[i] / baselineStd[i];
      }
    }

    MetricValue ratioMean;
    MetricValue ratioStd;
    if (usable == 0) {
      ratioMean = MetricValue.undefined("no pair with a non-zero baseline std");
      ratioStd = ratioMean;
    } else {
      double mean = mean(ratios);
      double sumOfSquares = 0;
      for (double ratio : ratios) {
        sumOfSquares += (ratio - mean) * (ratio - mean);
      }
      ratioMean = MetricValue.of(mean);
      ratioStd = MetricValue.of(Math.sqrt(sumOfSquares / usable));
    }
    return new Alignment(pearson(std, baselineStd), spearman(std, baselineStd), ratioMean,
        ratioStd, std.length, std.length - usable);
  }

  /**
   * Returns the Pearson correlation, or no value for fewer than two pairs or a constant input.
   */
  public static MetricValue pearson(double[] x, double[] y) {
    requirePairs(x, y);
    if (x.length < 2) {
      return MetricValue.undefined("correlation needs at least two pairs, got " + x.length);
    }
    double meanX = mean(x);
    double meanY = mean(y);
    double covariance = 0;
    double varianceX = 0;
    double varianceY = 0;
    for (int i = 0; i < x.length; i++) {
      double dx = x[i] - meanX;
      double dy = y[i] - meanY;
      covariance += dx * dy;
      varianceX += dx * dx;
      varianceY += dy * dy;
    }
    if (varianceX == 0 || varianceY == 0) {
      return MetricValue.undefined("correlation undefined: one input is constant");
    }
    double correlation = covariance / Math.sqrt(varianceX * varianceY);
    return MetricValue.of(Math.max(-1, Math.min(1, correlation)));
  }

  /** Returns the Spearman rank correlation, with tied values given their average rank. */
  public static MetricValue spearman(double[] x, double[] y) {
    requirePairs(x, y);
    return pearson(averageRanks(x), averageRanks(y));
  }

  /** Returns the 1-based rank of each value, tied values sharing the mean of their ranks. */
  public static double[] averageRanks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[values.length];
    int start = 0;
    while (start < values.length) {
      int end = start;
      while (end < values.length && values[order[end]] == values[order[start]]) {
        end++;
      }
      // Positions start..end-1 hold ranks start+1..end, whose mean is (start + 1 + end) / 2.
      double rank = (start + 1 + end) / 2.0;
      for (int j = start; j < end; j++) {
        ranks[order[j]] = rank;
      }
      start = end;
    }
    return ranks;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  private static void requirePairs(double[] x, double[] y) {
    if (x == null || y == null || x.length != y.length) {
      throw new IllegalArgumentException("expected two arrays of the same length, got "
          + (x == null ? "null" : x.length) + " and " + (y == null ? "null" : y.length));
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("pair at row " + i + " is (" + x[i] + ", " + y[i]
            + "); expected finite values");
      }
    }
  }

  private static void requireNonNegative(double[] values, String name) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException(
            name + " at row " + i + " is " + values[i] + "; a standard deviation is >= 0");
      }
    }
  }
}
