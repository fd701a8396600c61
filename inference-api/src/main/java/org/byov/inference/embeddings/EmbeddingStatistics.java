package org.byov.inference.embeddings;

/** Summaries of one image's embedding samples {@code [S][D]}. */
public final class EmbeddingStatistics {

  private EmbeddingStatistics() {}

  /**
   * Returns the mean over samples, accumulated in double: S identical float samples give exactly
   * their value, because sums of up to 2^29 equal floats are exact in double.
   */
  public static float[] mean(float[][] samples) {
    int dim = samples[0].length;
    double[] sum = new double[dim];
    for (float[] sample : samples) {
      for (int d = 0; d < dim; d++) {
        sum[d] += sample[d];
      }
    }
    float[] mean = new float[dim];
    for (int d = 0; d < dim; d++) {
      mean[d] = (float) (sum[d] / samples.length);
    }
    return mean;
  }
}
