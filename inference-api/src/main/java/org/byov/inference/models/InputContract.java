package org.byov.inference.models;

import java.util.List;

/**
 * The images a model accepts: shape {@code [channels, height, width]}, per-channel normalisation
 * {@code (x - mean[c]) / std[c]} applied to pixel values x scaled to 0..1, and the class names of
 * the probe head in label order (empty when the model has no probe head).
 */
public record InputContract(int channels, int height, int width, List<Double> mean,
    List<Double> std, List<String> classNames) {

  public InputContract {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(
          "Input contract channels must be 1 (grayscale) or 3 (RGB), got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "Input contract height and width must be positive, got " + height + "x" + width);
    }
    mean = mean == null || mean.isEmpty() ? List.copyOf(repeat(0.0, channels)) : List.copyOf(mean);
    std = std == null || std.isEmpty() ? List.copyOf(repeat(1.0, channels)) : List.copyOf(std);
    if (mean.size() != channels || std.size() != channels) {
      throw new IllegalArgumentException("Input contract mean and std need one value per channel ("
          + channels + "), got " + mean.size() + " and " + std.size());
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("Input contract std values must be positive, got " + std);
      }
    }
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  /** Number of values of one image, {@code channels * height * width}. */
  public int pixelCount() {
    return channels * height * width;
  }

  private static List<Double> repeat(double value, int count) {
    return java.util.Collections.nCopies(count, value);
  }
}
