package org.byov.core.ssl.augment;

import java.util.Arrays;
import org.byov.core.data.ImageSet;

/**
 * Per-channel normalisation {@code (x / 255 - mean[c]) / std[c]} of pixels 0..255, with mean and
 * standard deviation measured on a training set in [0, 1] units. The same values must be used
 * for training, evaluation and inference, so a model directory must record them.
 *
 * @param mean per-channel mean of pixel values in [0, 1]
 * @param std per-channel standard deviation of pixel values in [0, 1], greater than 0
 */
public record Normalization(float[] mean, float[] std) {

  public Normalization {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "Invalid normalisation: " + mean.length + " means and " + std.length
              + " standard deviations. Expected one of each per channel");
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "Invalid normalisation for channel " + c + ": mean " + mean[c] + ", std " + std[c]
                + ". Expected a finite mean and a positive std");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Measures the per-channel mean and population standard deviation over all pixels of a set. */
  public static Normalization of(ImageSet set) {
    if (set.count() == 0) {
      throw new IllegalArgumentException(
          "Cannot measure the normalisation of " + set.name() + ": it has no images");
    }
    int channels = set.channels();
    int plane = set.height() * set.width();
    long[] sum = new long[channels];
    long[] sumOfSquares = new long[channels];
    byte[] pixels = set.pixels();
    for (int image = 0; image < set.count(); image++) {
      for (int c = 0; c < channels; c++) {
        int offset = (image * channels + c) * plane;
        for (int p = 0; p < plane; p++) {
          int value = pixels[offset + p] & 0xFF;
          sum[c] += value;
          sumOfSquares[c] += value * value;
        }
      }
    }

    long n = (long) set.count() * plane;
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      double average = (double) sum[c] / n;
      double variance = (double) sumOfSquares[c] / n - average * average;
      mean[c] = (float) (average / 255.0);
      std[c] = (float) (Math.sqrt(Math.max(variance, 0)) / 255.0);
    }
    return new Normalization(mean, std);
  }

  /** Returns a copy of the per-channel means. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** Returns a copy of the per-channel standard deviations. */
  @Override
  public float[] std() {
    return std.clone();
  }

  /** Returns the number of channels this normalisation applies to. */
  public int channels() {
    return mean.length;
  }

  /**
   * Normalises the images at {@code indices} without augmentation, for evaluation and inference.
   *
   * @return {@code indices.length * channels * height * width} values in NCHW order
   */
  public float[] apply(ImageSet set, int[] indices) {
    requireChannels(set);
    int size = set.imageSize();
    float[] out = new float[Math.multiplyExact(indices.length, size)];
    float[] image = new float[size];
    for (int b = 0; b < indices.length; b++) {
      ByolAugmenter.loadImage(set, indices[b], image);
      applyInPlace(image, set.height() * set.width(), out, b * size);
    }
    return out;
  }

  /** Writes the normalised values of one [0, 1] image into {@code out} at {@code offset}. */
  void applyInPlace(float[] image, int plane, float[] out, int offset) {
    for (int c = 0; c < mean.length; c++) {
      float m = mean[c];
      float inverseStd = 1f / std[c];
      int base = c * plane;
      for (int p = 0; p < plane; p++) {
        out[offset + base + p] = (image[base + p] - m) * inverseStd;
      }
    }
  }

  void requireChannels(ImageSet set) {
    if (set.channels() != mean.length) {
      throw new IllegalArgumentException(
          "Normalisation for " + mean.length + " channels cannot apply to " + set.name()
              + " with " + set.channels() + " channels. Measure it on a set of the same kind");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Normalization that
        && Arrays.equals(mean, that.mean)
        && Arrays.equals(std, that.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
