package org.byov.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distribution of the signal-to-noise ratio |mu| / sigma over one Bayesian layer's weights.
 * Quantiles interpolate linearly between order statistics, as numpy's default {@code quantile}
 * method does.
 *
 * @param layer layer name
 * @param count number of weights
 * @param mean mean SNR
 * @param lowerQuartile 25th percentile
 * @param median 50th percentile
 * @param upperQuartile 75th percentile
 * @param min smallest SNR
 * @param max largest SNR
 */
public record SnrSummary(
    String layer,
    int count,
    double mean,
    double lowerQuartile,
    double median,
    double upperQuartile,
    double min,
    double max) {

  /**
   * Summarises the SNR of each layer.
   *
   * @throws IllegalArgumentException for a layer without sigma, an empty layer or a sigma of 0
   */
  public static List<SnrSummary> of(List<LayerWeights> layers) {
    List<SnrSummary> summaries = new ArrayList<>(layers.size());
    for (LayerWeights layer : layers) {
      summaries.add(of(layer));
    }
    return summaries;
  }

  /** Summarises the SNR of one layer. */
  public static SnrSummary of(LayerWeights layer) {
    if (!layer.isBayesian()) {
      throw new IllegalArgumentException(
          "layer " + layer.name() + " has no sigma; SNR needs a Bayesian layer");
    }
    if (layer.size() == 0) {
      throw new IllegalArgumentException("layer " + layer.name() + " has no weights");
    }
    double[] snr = new double[layer.size()];
    double sum = 0;
    for (int i = 0; i < snr.length; i++) {
      snr[i] = GlobalPruning.snr(layer, i);
      sum += snr[i];
    }
    Arrays.sort(snr);
    return new SnrSummary(layer.name(), snr.length, sum / snr.length, quantile(snr, 0.25),
        quantile(snr, 0.5), quantile(snr, 0.75), snr[0], snr[snr.length - 1]);
  }

  /** Returns the q-quantile of sorted values by linear interpolation at position (n - 1) q. */
  static double quantile(double[] sorted, double q) {
    double position = (sorted.length - 1) * q;
    int lower = (int) Math.floor(position);
    int upper = Math.min(sorted.length - 1, lower + 1);
    double weight = position - lower;
    return sorted[lower] + weight * (sorted[upper] - sorted[lower]);
  }
}
