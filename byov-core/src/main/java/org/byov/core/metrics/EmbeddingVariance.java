package org.byov.core.metrics;

/**
 * Spread of an example's embedding across Monte Carlo weight samples: the variance of each
 * dimension across the S samples (divided by S, the variance of the samples themselves, as
 * numpy's default {@code ddof=0}) and its sum over dimensions, the total variance.
 *
 * @param perDimension variance of each embedding dimension, {@code [D]}
 * @param total sum of {@code perDimension}
 */
public record EmbeddingVariance(double[] perDimension, double total) {

  /**
   * Computes the variance of one example's embedding samples.
   *
   * @param samples embedding of each weight sample, {@code [S][D]}, S >= 1, all values finite
   */
  public static EmbeddingVariance of(double[][] samples) {
    int dimensions = requireShape(samples);
    double[] mean = new double[dimensions];
    for (double[] sample : samples) {
      for (int d = 0; d < dimensions; d++) {
        mean[d] += sample[d];
      }
    }
    for (int d = 0; d < dimensions; d++) {
      mean[d] /= samples.length;
    }

    double[] variance = new double[dimensions];
    double total = 0;
    for (int d = 0; d < dimensions; d++) {
      double sumOfSquares = 0;
      for (double[] sample : samples) {
        double deviation = sample[d] - mean[d];
        sumOfSquares += deviation * deviation;
      }
      variance[d] = sumOfSquares / samples.length;
      total += variance[d];
    }
    return new EmbeddingVariance(variance, total);
  }

  /** Computes the variance of one example's float embedding samples {@code [S][D]}. */
  public static EmbeddingVariance of(float[][] samples) {
    if (samples == null) {
      throw new IllegalArgumentException("embedding samples are missing (null)");
    }
    double[][] widened = new double[samples.length][];
    for (int s = 0; s < samples.length; s++) {
      if (samples[s] == null) {
        throw new IllegalArgumentException("embedding sample " + s + " is missing (null)");
      }
      widened[s] = new double[samples[s].length];
      for (int d = 0; d < samples[s].length; d++) {
        widened[s][d] = samples[s][d];
      }
    }
    return of(widened);
  }

  /**
   * Computes the variance of every example of a batch.
   *
   * @param samples embeddings {@code [S][N][D]} (samples, examples, dimensions)
   * @return one result per example, {@code [N]}
   */
  public static EmbeddingVariance[] ofBatch(float[][][] samples) {
    if (samples == null || samples.length == 0) {
      throw new IllegalArgumentException(
          "embedding samples are empty; expected [S][N][D] with at least one sample");
    }
    int examples = samples[0] == null ? 0 : samples[0].length;
    for (int s = 0; s < samples.length; s++) {
      if (samples[s] == null || samples[s].length != examples) {
        throw new IllegalArgumentException(
            "embedding sample " + s + " has " + (samples[s] == null ? 0 : samples[s].length)
                + " examples but sample 0 has " + examples);
      }
    }

    EmbeddingVariance[] result = new EmbeddingVariance[examples];
    float[][] perExample = new float[samples.length][];
    for (int i = 0; i < examples; i++) {
      for (int s = 0; s < samples.length; s++) {
        perExample[s] = samples[s][i];
      }
      result[i] = of(perExample);
    }
    return result;
  }

  /** Returns the total variance of each example of a batch {@code [S][N][D]}. */
  public static double[] totalVariances(float[][][] samples) {
    EmbeddingVariance[] perExample = ofBatch(samples);
    double[] totals = new double[perExample.length];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = perExample[i].total();
    }
    return totals;
  }

  /** Checks a non-empty, non-ragged, finite {@code [S][D]} array and returns D. */
  private static int requireShape(double[][] samples) {
    if (samples == null || samples.length == 0) {
      throw new IllegalArgumentException(
          "embedding samples are empty; expected [S][D] with at least one sample");
    }
    for (int s = 0; s < samples.length; s++) {
      if (samples[s] == null) {
        throw new IllegalArgumentException("embedding sample " + s + " is missing (null)");
      }
      if (samples[s].length != samples[0].length) {
        throw new IllegalArgumentException(
            "embedding sample " + s + " has " + samples[s].length
                + " dimensions but sample 0 has " + samples[0].length);
      }
      for (int d = 0; d < samples[s].length; d++) {
        if (!Double.isFinite(samples[s][d])) {
          throw new IllegalArgumentException(
              "embedding sample " + s + " has " + samples[s][d] + " in dimension " + d
                  + "; expected a finite value");
        }
      }
    }
    return samples[0].length;
  }
}
