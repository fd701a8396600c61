package org.byov.core.nn;

/** The shape of one input image: {@code [channels, height, width]}. */
public record ImageShape(int channels, int height, int width) {

  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("Invalid image shape " + channels + "x" + height + "x"
          + width + ": every dimension must be positive");
    }
  }
}
