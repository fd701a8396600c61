package org.byov.core.metrics;

import java.util.Arrays;

/**
 * Out-of-distribution detection metrics. The OOD examples are the positive class, and each score
 * must be oriented so that a higher value means more uncertain (more likely OOD); for max
 * probability pass {@code 1 - max p}. Each metric returns no value, with a reason, when either
 * set is empty.
 *
 * <ul>
 *   <li>AUROC: P(score of a random OOD example > score of a random in-distribution example),
 *       with ties counted as one half (the Mann-Whitney U statistic divided by the number of
 *       pairs).
 *   <li>AUPR: average precision with OOD as positive, sum over distinct thresholds t (from high
 *       to low) of (recall(t) - recall(previous t)) * precision(t), the step-wise area that
 *       scikit-learn's {@code average_precision_score} computes; tied scores form one threshold.
 *   <li>FPR at 95% TPR: the false positive rate at the highest threshold t whose true positive
 *       rate P(OOD score >= t) is at least 0.95.
 * </ul>
 */
public final class OodMetrics {

  /** True positive rate at which {@link #fprAt95Tpr} reads the false positive rate. */
  public static final double TARGET_TPR = 0.95;

  private OodMetrics() {}

  /** Returns the AUROC of separating OOD (positive) from in-distribution scores. */
  public static MetricValue auroc(double[] inDistributionScores, double[] oodScores) {
    Groups groups = Groups.of(inDistributionScores, oodScores);
    if (groups.undefinedReason != null) {
      return MetricValue.undefined("AUROC undefined: " + groups.undefinedReason);
    }
    double pairsWon = 0;
    long positivesAbove = 0;
    for (int g = 0; g < groups.size; g++) {
      pairsWon += groups.negatives[g] * (positivesAbove + 0.5 * groups.positives[g]);
      positivesAbove += groups.positives[g];
    }
    return MetricValue.of(pairsWon / ((double) groups.totalPositives * groups.totalNegatives));
  }

  /** Returns the AUROC for scores with a per-example label, {@code true} for OOD. */
  public static MetricValue auroc(boolean[] isOod, double[] scores) {
    double[][] split = split(isOod, scores);
    return auroc(split[0], split[1]);
  }

  /** Returns the area under the precision-recall curve (average precision), OOD positive. */
  public static MetricValue aupr(double[] inDistributionScores, double[] oodScores) {
    Groups groups = Groups.of(inDistributionScores, oodScores);
    if (groups.undefinedReason != null) {
      return MetricValue.undefined("AUPR undefined: " + groups.undefinedReason);
    }
    double area = 0;
    long truePositives = 0;
    long falsePositives = 0;
    for (int g = 0; g < groups.size; g++) {
      truePositives += groups.positives[g];
      falsePositives += groups.negatives[g];
      double recallStep = (double) groups.positives[g] / groups.totalPositives;
      double precision = (double) truePositives / (truePositives + falsePositives);
      area += recallStep * precision;
    }
    return MetricValue.of(area);
  }

  /** Returns the average precision for scores with a per-example label, {@code true} for OOD. */
  public static MetricValue aupr(boolean[] isOod, double[] scores) {
    double[][] split = split(isOod, scores);
    return aupr(split[0], split[1]);
  }

  /** Returns the false positive rate at 95% true positive rate, OOD positive. */
  public static MetricValue fprAt95Tpr(double[] inDistributionScores, double[] oodScores) {
    return fprAtTpr(inDistributionScores, oodScores, TARGET_TPR);
  }

  /**
   * Returns the false positive rate at the highest threshold whose true positive rate is at least
   * {@code targetTpr}.
   *
   * @param targetTpr true positive rate in (0, 1]
   */
  public static MetricValue fprAtTpr(
      double[] inDistributionScores, double[] oodScores, double targetTpr) {
    if (!(targetTpr > 0 && targetTpr <= 1)) {
      throw new IllegalArgumentException(
          "target TPR is " + targetTpr + "; expected a value in (0, 1]");
    }
    Groups groups = Groups.of(inDistributionScores, oodScores);
    if (groups.undefinedReason != null) {
      return MetricValue.undefined("FPR at TPR undefined: " + groups.undefinedReason);
    }
    // The smallest number of true positives that reaches the target, tolerant of 0.95 * P
    // rounding just above an integer.
    long required = (long) Math.ceil(targetTpr * groups.totalPositives - 1e-9);
    long truePositives = 0;
    long falsePositives = 0;
    for (int g = 0; g < groups.size; g++) {
      truePositives += groups.positives[g];
      falsePositives += groups.negatives[g];
      if (truePositives >= required) {
        break;
      }
    }
    return MetricValue.of((double) falsePositives / groups.totalNegatives);
  }

  /** Returns the FPR at 95% TPR for scores with a per-example label, {@code true} for OOD. */
  public static MetricValue fprAt95Tpr(boolean[] isOod, double[] scores) {
    double[][] split = split(isOod, scores);
    return fprAt95Tpr(split[0], split[1]);
  }

  private static double[][] split(boolean[] isOod, double[] scores) {
    if (isOod == null || scores == null || isOod.length != scores.length) {
      throw new IllegalArgumentException(
          "OOD labels and scores need the same length, got "
              + (isOod == null ? "null" : isOod.length) + " labels and "
              + (scores == null ? "null" : scores.length) + " scores");
    }
    ProbabilityChecks.requireFiniteScores(scores, "scores");
    int oodCount = 0;
    for (boolean ood : isOod) {
      oodCount += ood ? 1 : 0;
    }
    double[] inDistribution = new double[scores.length - oodCount];
    double[] ood = new double[oodCount];
    int in = 0;
    int out = 0;
    for (int i = 0; i < scores.length; i++) {
      if (isOod[i]) {
        ood[out++] = scores[i];
      } else {
        inDistribution[in++] = scores[i];
      }
    }
    return new double[][] {inDistribution, ood};
  }

  /** Distinct scores in descending order with the number of OOD and in-distribution examples. */
  private static final class Groups {
    final int size;
    final long[] positives;
    final long[] negatives;
    final long totalPositives;
    final long totalNegatives;
    final String undefinedReason;

    private Groups(
        int size, long[] positives, long[] negatives, long totalPositives, long totalNegatives,
        String undefinedReason) {
      this.size = size;
      this.positives = positives;
      this.negatives = negatives;
      this.totalPositives = totalPositives;
      this.totalNegatives = totalNegatives;
      this.undefinedReason = undefinedReason;
    }

    static Groups of(double[] inDistributionScores, double[] oodScores) {
      ProbabilityChecks.requireFiniteScores(inDistributionScores, "in-distribution scores");
      ProbabilityChecks.requireFiniteScores(oodScores, "OOD scores");
      String reason = null;
      if (inDistributionScores.length == 0 && oodScores.length == 0) {
        reason = "no examples";
      } else if (oodScores.length == 0) {
        reason = "no OOD (positive) examples, only one class";
      } else if (inDistributionScores.length == 0) {
        reason = "no in-distribution (negative) examples, only one class";
      }
      if (reason != null) {
        return new Groups(0, null, null, oodScores.length, inDistributionScores.length, reason);
      }

      double[] negativesSorted = descending(inDistributionScores);
      double[] positivesSorted = descending(oodScores);
      int capacity = negativesSorted.length + positivesSorted.length;
      long[] positives = new long[capacity];
      long[] negatives = new long[capacity];
      int size = 0;
      int p = 0;
      int n = 0;
      while (p < positivesSorted.length || n < negativesSorted.length) {
        double threshold = Math.max(
            p < positivesSorted.length ? positivesSorted[p] : Double.NEGATIVE_INFINITY,
            n < negativesSorted.length ? negativesSorted[n] : Double.NEGATIVE_INFINITY);
        while (p < positivesSorted.length && positivesSorted[p] == threshold) {
          positives[size]++;
          p++;
        }
        while (n < negativesSorted.length && negativesSorted[n] == threshold) {
          negatives[size]++;
          n++;
        }
        size++;
      }
      return new Groups(
          size, positives, negatives, positivesSorted.length, negativesSorted.length, null);
    }

    private static double[] descending(double[] scores) {
      double[] sorted = scores.clone();
      Arrays.sort(sorted);
      for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
        double swap = sorted[i];
        sorted[i] = sorted[j];
        sorted[j] = swap;
      }
      return sorted;
    }
  }
}
