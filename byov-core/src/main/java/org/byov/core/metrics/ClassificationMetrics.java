package org.byov.core.metrics;

/**
 * Per-dataset scores of predicted class probabilities: accuracy, the Brier score (Brier 1950)
 * summed over classes, and the negative log-likelihood. Each returns no value for an empty input.
 */
public final class ClassificationMetrics {

  /** Smallest probability of the true class used in the negative log-likelihood. */
  public static final double NLL_PROBABILITY_FLOOR = 1e-12;

  private ClassificationMetrics() {}

  /**
   * Returns the fraction of examples whose most probable class (the first one on a tie) is the
   * label.
   *
   * @param probabilities class probabilities {@code [N][K]}, rows summing to 1
   * @param labels true class of each example
   */
  public static MetricValue accuracy(double[][] probabilities, int[] labels) {
    int classes = ProbabilityChecks.requireProbabilityRows(probabilities);
    ProbabilityChecks.requireLabels(labels, probabilities.length, classes);
    if (probabilities.length == 0) {
      return MetricValue.undefined("no examples: accuracy needs at least one");
    }
    int correct = 0;
    for (int i = 0; i < probabilities.length; i++) {
      if (argmax(probabilities[i]) == labels[i]) {
        correct++;
      }
    }
    return MetricValue.of((double) correct / probabilities.length);
  }

  /**
   * Returns the Brier score: the mean over examples of the sum over classes of (p_k - y_k)^2,
   * where y is the one-hot label. It ranges from 0 (perfect) to 2.
   */
  public static MetricValue brier(double[][] probabilities, int[] labels) {
    int classes = ProbabilityChecks.requireProbabilityRows(probabilities);
    ProbabilityChecks.requireLabels(labels, probabilities.length, classes);
    if (probabilities.length == 0) {
      return MetricValue.undefined("no examples: Brier score needs at least one");
    }
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      for (int k = 0; k < classes; k++) {
        double target = k == labels[i] ? 1 : 0;
        double difference = probabilities[i][k] - target;
        sum += difference * difference;
      }
    }
    return MetricValue.of(sum / probabilities.length);
  }

  /**
   * Returns the negative log-likelihood in nats: the mean over examples of -ln p_y, with p_y
   * clamped below at {@link #NLL_PROBABILITY_FLOOR} so that a zero probability gives a finite
   * value (about 27.63).
   */
  public static MetricValue negativeLogLikelihood(double[][] probabilities, int[] labels) {
    int classes = ProbabilityChecks.requireProbabilityRows(probabilities);
    ProbabilityChecks.requireLabels(labels, probabilities.length, classes);
    if (probabilities.length == 0) {
      return MetricValue.undefined("no examples: negative log-likelihood needs at least one");
    }
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      sum -= Math.log(Math.max(probabilities[i][labels[i]], NLL_PROBABILITY_FLOOR));
    }
    return MetricValue.of(sum / probabilities.length);
  }

  /** Returns the index of the largest entry, the first one on a tie. */
  public static int argmax(double[] row) {
    int best = 0;
    for (int k = 1; k < row.length; k++) {
      if (row[k] > row[best]) {
        best = k;
      }
    }
    return best;
  }
}
