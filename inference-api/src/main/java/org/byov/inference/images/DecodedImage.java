package org.byov.inference.images;

/**
 * An image with values in 0..1, channel-major: {@code values[(c * height + y) * width + x]}.
 */
public record DecodedImage(int channels, int height, int width, float[] values) {

  public float at(int channel, int y, int x) {
    return values[(channel * height + y) * width + x];
  }
}
