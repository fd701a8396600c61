package org.byov.core.bayes;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Per-weight signal-to-noise ratio SNR = |mu| / sigma and its summary for one layer. Pruning by
 * SNR removes the weights with the lowest ratio first.
 */
public final class Snr {

  private Snr() {}

  /** Summary of one layer's SNR values. */
  public record Summary(String layer, long weights, double mean, double median, double p10,
      double p90, double min, double max) {}

  /** Returns the element-wise SNR |mu| / sigma, same shape as mu. */
  public static NDArray perWeight(Posterior posterior) {
    return posterior.mu().abs().div(posterior.sigma().maximum((float) Softplus.SIGMA_FLOOR));
  }

  /** Returns the summary of SNR values (any order). */
  public static Summary summarise(String layer, float[] snr) {
    if (snr.length == 0) {
      throw new IllegalArgumentException("Layer " + layer + " has no weights to summarise");
    }
    float[] sorted = snr.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (float value : sorted) {
      sum += value;
    }
    return new Summary(layer, sorted.length, sum / sorted.length, quantile(sorted, 0.5),
        quantile(sorted, 0.1), quantile(sorted, 0.9), sorted[0], sorted[sorted.length - 1]);
  }

  /** Linear-interpolation quantile of sorted values. */
  static double quantile(float[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, sorted.length - 1);
    double fraction = position - lower;
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
  }
}
