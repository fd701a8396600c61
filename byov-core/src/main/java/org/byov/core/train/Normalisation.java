package org.byov.core.train;

import java.util.Arrays;
import org.byov.core.data.ImageSet;

/**
 * Per-channel input normalisation x = (pixel / 255 - mean[c]) / std[c], part of a model's input
 * contract.
 *
 * @param mean per-channel mean of pixel / 255
 * @param std per-channel standard deviation of pixel / 255, positive
 */
public record Normalisation(double[] mean, double[] std) {

  public Normalisation {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("Normalisation needs one mean and one std per channel, got "
          + mean.length + " means and " + std.length + " stds");
    }
    for (double value : std) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("Normalisation std must be positive, got "
            + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Returns the per-channel mean and std of the first {@code limit} images of {@code set}. */
  public static Normalisation measure(ImageSet set, int limit) {
    int count = Math.min(limit, set.count());
    int channels = set.channels();
    int pixelsPerChannel = set.height() * set.width();
    double[] sum = new double[channels];
    double[] sumSquares = new double[channels];
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < pixelsPerChannel; p++) {
          double x = set.pixel(i, c * pixelsPerChannel + p) / 255.0;
          sum[c] += x;
          sumSquares[c] += x * x;
        }
      }
    }
    double n = (double) count * pixelsPerChannel;
    double[] mean = new double[channels];
    double[] std = new double[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = sum[c] / n;
      std[c] = Math.sqrt(Math.max(sumSquares[c] / n - mean[c] * mean[c], 1e-12));
    }
    return new Normalisation(mean, std);
  }

  /** Returns the normalised pixels of images {@code indices}, flat {@code [B * C * H * W]}. */
  public float[] apply(ImageSet set, int[] indices) {
    int size = set.imageSize();
    int pixelsPerChannel = set.height() * set.width();
    float[] out = new float[indices.length * size];
    for (int b = 0; b < indices.length; b++) {
      for (int offset = 0; offset < size; offset++) {
        int c = offset / pixelsPerChannel;
        out[b * size + offset] = normalise(set.pixel(indices[b], offset), c);
      }
    }
    return out;
  }

  /** Returns the normalised value of one pixel (0..255) of channel {@code c}. */
  public float normalise(int pixel, int c) {
    return (float) ((pixel / 255.0 - mean[c]) / std[c]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Normalisation that
        && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalisation[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
