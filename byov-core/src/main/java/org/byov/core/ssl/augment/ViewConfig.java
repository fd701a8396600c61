package org.byov.core.ssl.augment;

/**
 * The random transforms of one BYOL view, applied in this order: random resized crop, horizontal
 * flip, colour jitter, grayscale, Gaussian blur, solarisation. Probabilities are per image.
 *
 * @param cropScaleMin smallest crop area as a fraction of the image area, in (0, 1]
 * @param cropScaleMax largest crop area as a fraction of the image area, in [cropScaleMin, 1]
 * @param cropRatioMin smallest crop aspect ratio (width / height), greater than 0
 * @param cropRatioMax largest crop aspect ratio, at least cropRatioMin; the ratio is drawn
 *     log-uniformly between the two
 * @param flipProbability probability of a horizontal flip
 * @param colorJitterProbability probability of applying brightness, contrast and saturation jitter
 * @param brightness brightness jitter: the factor is uniform in [1 - brightness, 1 + brightness],
 *     in [0, 1]
 * @param contrast contrast jitter, the same form as brightness, in [0, 1]
 * @param saturation saturation jitter, the same form, in [0, 1]; ignored for 1-channel images
 * @param grayscaleProbability probability of converting a 3-channel image to grayscale
 * @param blurProbability probability of a Gaussian blur
 * @param blurSigmaMin smallest blur standard deviation in pixels, greater than 0
 * @param blurSigmaMax largest blur standard deviation in pixels, at least blurSigmaMin; the kernel
 *     radius is ceil(3 sigma)
 * @param solarizeProbability probability of solarisation (values at or above 0.5 become 1 - x)
 */
public record ViewConfig(
    double cropScaleMin,
    double cropScaleMax,
    double cropRatioMin,
    double cropRatioMax,
    double flipProbability,
    double colorJitterProbability,
    double brightness,
    double contrast,
    double saturation,
    double grayscaleProbability,
    double blurProbability,
    double blurSigmaMin,
    double blurSigmaMax,
    double solarizeProbability) {

  public ViewConfig {
    requireRange("cropScaleMin", cropScaleMin, Double.MIN_VALUE, 1);
    requireRange("cropScaleMax", cropScaleMax, cropScaleMin, 1);
    requireRange("cropRatioMin", cropRatioMin, Double.MIN_VALUE, Double.MAX_VALUE);
    requireRange("cropRatioMax", cropRatioMax, cropRatioMin, Double.MAX_VALUE);
    requireRange("flipProbability", flipProbability, 0, 1);
    requireRange("colorJitterProbability", colorJitterProbability, 0, 1);
    requireRange("brightness", brightness, 0, 1);
    requireRange("contrast", contrast, 0, 1);
    requireRange("saturation", saturation, 0, 1);
    requireRange("grayscaleProbability", grayscaleProbability, 0, 1);
    requireRange("blurProbability", blurProbability, 0, 1);
    requireRange("blurSigmaMin", blurSigmaMin, Double.MIN_VALUE, Double.MAX_VALUE);
    requireRange("blurSigmaMax", blurSigmaMax, blurSigmaMin, Double.MAX_VALUE);
    requireRange("solarizeProbability", solarizeProbability, 0, 1);
  }

  /**
   * Returns a view with no random transform, so a square image is only normalised. On a
   * non-square image the crop (area fraction 1, aspect ratio 1) is the centred square, as with
   * torchvision's RandomResizedCrop at scale 1 and ratio 1.
   */
  public static ViewConfig identity() {
    return new ViewConfig(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1, 0);
  }

  /** Returns a copy with the given blur and solarisation probabilities. */
  public ViewConfig withBlurAndSolarize(double blur, double solarize) {
    return new ViewConfig(
        cropScaleMin, cropScaleMax, cropRatioMin, cropRatioMax, flipProbability,
        colorJitterProbability, brightness, contrast, saturation, grayscaleProbability, blur,
        blurSigmaMin, blurSigmaMax, solarize);
  }

  private static void requireRange(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "Invalid augmentation setting " + field + " = " + value + ". Expected a value in ["
              + min + ", " + max + "]");
    }
  }
}
