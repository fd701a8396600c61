package org.byov.core.checkpoint;

import java.util.List;

/**
 * What a model expects as input: image shape, channel count, the normalisation
 * x = (pixel / 255 - mean[c]) / std[c], and the class names of its training set.
 *
 * @param channels channels per image
 * @param height image height in pixels
 * @param width image width in pixels
 * @param mean per-channel mean of pixel / 255
 * @param std per-channel standard deviation of pixel / 255
 * @param classNames class names indexed by label
 */
public record InputContract(int channels, int height, int width, double[] mean, double[] std,
    List<String> classNames) {

  public InputContract {
    if (mean == null || std == null || mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("The input contract needs one mean and one std for each "
          + "of the " + channels + " channels");
    }
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }
}
