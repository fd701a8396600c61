package org.byov.core.metrics;

import java.util.List;

/**
 * Equal-width reliability bins over [0, 1] together with the calibration errors they give.
 *
 * @param bins all bins in order, empty ones included
 * @param total number of examples, the sum of the bin counts
 * @param expectedCalibrationError sum over bins of (count / total) * |accuracy - confidence|
 * @param maximumCalibrationError maximum |accuracy - confidence| over the non-empty bins
 */
public record ReliabilityDiagram(
    List<ReliabilityBin> bins,
    int total,
    MetricValue expectedCalibrationError,
    MetricValue maximumCalibrationError) {

  public ReliabilityDiagram {
    bins = List.copyOf(bins);
  }

  /**
   * Bins each example by confidence and compares the mean confidence with the fraction of
   * positive outcomes per bin.
   *
   * @param confidences confidence of each example, in [0, 1]
   * @param outcomes whether each example's outcome is positive (correct, or of the positive class)
   * @param binCount number of equal-width bins, at least 1
   */
  static ReliabilityDiagram compute(double[] confidences, boolean[] outcomes, int binCount) {
    if (binCount < 1) {
      throw new IllegalArgumentException("bin count is " + binCount + "; expected at least 1");
    }
    int[] counts = new int[binCount];
    double[] confidenceSums = new double[binCount];
    int[] positives = new int[binCount];
    for (int i = 0; i < confidences.length; i++) {
      int bin = binIndex(confidences[i], binCount);
      counts[bin]++;
      confidenceSums[bin] += confidences[i];
      if (outcomes[i]) {
        positives[bin]++;
      }
    }

    ReliabilityBin[] bins = new ReliabilityBin[binCount];
    double ece = 0;
    double mce = 0;
    int total = confidences.length;
    for (int b = 0; b < binCount; b++) {
      double lower = (double) b / binCount;
      double upper = (double) (b + 1) / binCount;
      if (counts[b] == 0) {
        bins[b] = new ReliabilityBin(b, lower, upper, 0, null, null);
        continue;
      }
      double meanConfidence = confidenceSums[b] / counts[b];
      double accuracy = (double) positives[b] / counts[b];
      bins[b] = new ReliabilityBin(b, lower, upper, counts[b], meanConfidence, accuracy);
      double gap = Math.abs(accuracy - meanConfidence);
      ece += (double) counts[b] / total * gap;
      mce = Math.max(mce, gap);
    }

    if (total == 0) {
      MetricValue empty = MetricValue.undefined("no examples: calibration error needs at least one");
      return new ReliabilityDiagram(List.of(bins), 0, empty, empty);
    }
    return new ReliabilityDiagram(List.of(bins), total, MetricValue.of(ece), MetricValue.of(mce));
  }

  /**
   * Returns the bin b with b / B < c <= (b + 1) / B, where the edges are the doubles nearest to
   * b / B; confidence 0 goes to bin 0.
   */
  static int binIndex(double confidence, int binCount) {
    int bin = (int) Math.ceil(confidence * binCount) - 1;
    bin = Math.max(0, Math.min(binCount - 1, bin));
    // The product above can round across an edge, so compare with the edges themselves.
    while (bin > 0 && confidence <= (double) bin / binCount) {
      bin--;
    }
    while (bin < binCount - 1 && confidence > (double) (bin + 1) / binCount) {
      bin++;
    }
    return bin;
  }
}
