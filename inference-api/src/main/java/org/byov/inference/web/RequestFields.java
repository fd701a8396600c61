package org.byov.inference.web;

/**
 * Names of the request fields that the shared checks put in a problem's {@code field}, so that
 * each route reports the field as its client wrote it. The default methods return the /v1 names,
 * for example {@code images[3].pixels[7]}. The Open Inference Protocol route overrides them to
 * point into its input tensor, for example {@code inputs[0].data[2359]}.
 */
public interface RequestFields {

  /** The /v1 names. */
  RequestFields V1 = new RequestFields() {};

  /** Returns the field of the Monte Carlo sample count. */
  default String samples() {
    return "samples";
  }

  /** Returns the field of the image list, for problems about how many images there are. */
  default String images() {
    return "images";
  }

  /** Returns the field of image {@code index} as a whole. */
  default String image(int index) {
    return "images[" + index + "]";
  }

  /** Returns the field of the base64 PNG or JPEG of image {@code index}. */
  default String encoded(int index) {
    return image(index) + ".data";
  }

  /** Returns the field of the raw pixels' shape {@code [C, H, W]} of image {@code index}. */
  default String shape(int index) {
    return image(index) + ".shape";
  }

  /** Returns the field of the raw pixel values of image {@code index}. */
  default String pixels(int index) {
    return image(index) + ".pixels";
  }

  /**
   * Returns the field of raw pixel value {@code offset} of image {@code index}, counted in {@code
   * [C, H, W]} order.
   */
  default String pixel(int index, int offset) {
    return pixels(index) + "[" + offset + "]";
  }
}
