package org.byov.core.metrics;

/**
 * Uncertainty scores of a Monte Carlo predictive distribution, all in nats and oriented so that a
 * higher value means more uncertain. Input is the class probabilities of each weight sample,
 * {@code [S][N][K]} (samples, examples, classes); the predictive distribution is their mean.
 *
 * <ul>
 *   <li>predictive entropy: H(mean over s of p_s)
 *   <li>expected entropy: mean over s of H(p_s), the aleatoric part
 *   <li>mutual information: predictive entropy minus expected entropy, the epistemic part
 *       (Houlsby et al. 2011, "Bayesian Active Learning for Classification and Preference
 *       Learning"); it is non-negative by Jensen's inequality, and rounding below 0 is clamped
 *       to 0
 * </ul>
 *
 * <p>Entropy uses the convention 0 ln 0 = 0.
 */
public final class PredictiveUncertainty {

  private PredictiveUncertainty() {}

  /**
   * Scores of every example, computed in one pass over the samples.
   *
   * @param meanProbabilities predictive distribution {@code [N][K]}
   * @param predictiveEntropy H(mean p) per example
   * @param expectedEntropy mean of H(p_s) per example
   * @param mutualInformation predictive minus expected entropy per example, at least 0
   */
  public record Decomposition(
      double[][] meanProbabilities,
      double[] predictiveEntropy,
      double[] expectedEntropy,
      double[] mutualInformation) {}

  /**
   * Computes the predictive distribution and the entropy decomposition.
   *
   * @param samples class probabilities {@code [S][N][K]}, S >= 1, each row summing to 1
   * @throws IllegalArgumentException naming the sample and row of an invalid probability row
   */
  public static Decomposition decompose(double[][][] samples) {
    int[] shape = requireSamples(samples);
    int sampleCount = shape[0];
    int examples = shape[1];

    double[][] mean = meanProbabilities(samples);
    double[] predictive = new double[examples];
    double[] expected = new double[examples];
    double[] mutual = new double[examples];
    for (int i = 0; i < examples; i++) {
      double entropySum = 0;
      for (double[][] sample : samples) {
        entropySum += entropy(sample[i]);
      }
      predictive[i] = entropy(mean[i]);
      expected[i] = entropySum / sampleCount;
      mutual[i] = Math.max(0, predictive[i] - expected[i]);
    }
    return new Decomposition(mean, predictive, expected, mutual);
  }

  /** Returns the mean over samples of the class probabilities, {@code [N][K]}. */
  public static double[][] meanProbabilities(double[][][] samples) {
    int[] shape = requireSamples(samples);
    int examples = shape[1];
    int classes = shape[2];
    double[][] mean = new double[examples][classes];
    for (double[][] sample : samples) {
      for (int i = 0; i < examples; i++) {
        for (int k = 0; k < classes; k++) {
          mean[i][k] += sample[i][k];
        }
      }
    }
    for (double[] row : mean) {
      for (int k = 0; k < classes; k++) {
        row[k] /= samples.length;
      }
    }
    return mean;
  }

  /** Returns the predictive entropy H(mean p) of each example. */
  public static double[] predictiveEntropy(double[][][] samples) {
    return decompose(samples).predictiveEntropy();
  }

  /** Returns the expected entropy, mean over samples of H(p_s), of each example. */
  public static double[] expectedEntropy(double[][][] samples) {
    return decompose(samples).expectedEntropy();
  }

  /** Returns the mutual information between the prediction and the weights for each example. */
  public static double[] mutualInformation(double[][][] samples) {
    return decompose(samples).mutualInformation();
  }

  /**
   * Returns the entropy of each row of a predictive distribution {@code [N][K]}, for a model
   * without weight samples.
   */
  public static double[] entropy(double[][] probabilities) {
    ProbabilityChecks.requireProbabilityRows(probabilities);
    double[] entropies = new double[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      entropies[i] = entropy(probabilities[i]);
    }
    return entropies;
  }

  /**
   * Returns the max-probability score oriented as uncertainty: 1 - max_k p_k for each example,
   * so that a higher value means less confident.
   */
  public static double[] maxProbabilityUncertainty(double[][] probabilities) {
    ProbabilityChecks.requireProbabilityRows(probabilities);
    double[] scores = new double[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      double[] row = probabilities[i];
      scores[i] = 1 - row[ClassificationMetrics.argmax(row)];
    }
    return scores;
  }

  /** Returns the entropy -sum p_k ln p_k of one probability vector, with 0 ln 0 = 0. */
  public static double entropy(double[] probabilities) {
    double entropy = 0;
    for (double p : probabilities) {
      if (p > 0) {
        entropy -= p * Math.log(p);
      }
    }
    return entropy;
  }

  /** Validates the samples and returns {S, N, K}. */
  private static int[] requireSamples(double[][][] samples) {
    if (samples == null || samples.length == 0) {
      throw new IllegalArgumentException(
          "samples is empty; expected class probabilities [S][N][K] with at least one sample");
    }
    int examples = -1;
    int classes = 0;
    for (int s = 0; s < samples.length; s++) {
      int sampleClasses =
          ProbabilityChecks.requireProbabilityRows(samples[s], "samples[" + s + "]");
      if (s == 0) {
        examples = samples[0].length;
        classes = sampleClasses;
      } else if (samples[s].length != examples || (examples > 0 && sampleClasses != classes)) {
        throw new IllegalArgumentException(
            "samples[" + s + "] has shape [" + samples[s].length + "][" + sampleClasses
                + "] but samples[0] has [" + examples + "][" + classes + "]");
      }
    }
    return new int[] {samples.length, examples, classes};
  }
}
