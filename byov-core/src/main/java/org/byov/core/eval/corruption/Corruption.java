package org.byov.core.eval.corruption;

import java.util.Arrays;
import java.util.List;

/**
 * Image corruptions of the robustness evaluation, each with five severities. The parameters are
 * the severity tables of ImageNet-C (Hendrycks and Dietterich 2019) as MNIST-C (Mu and Gilmer
 * 2019) applies them to 28x28 images, taken from the {@code corruptions.py} of
 * github.com/google-research/mnist-c, except for pixelate (see {@link #PIXELATE}). Values are for
 * images scaled to [0, 1].
 */
public enum Corruption {
  /** Adds N(0, c^2) to every value; c is the standard deviation. */
  GAUSSIAN_NOISE("gaussian_noise", 0.08, 0.12, 0.18, 0.26, 0.38),
  /** Replaces x by Poisson(c x) / c; c is the photon count at full intensity. */
  SHOT_NOISE("shot_noise", 60, 25, 12, 5, 3),
  /** Sets a fraction c of the values to 0 or 1 with equal odds (salt and pepper). */
  IMPULSE_NOISE("impulse_noise", 0.03, 0.06, 0.09, 0.17, 0.27),
  /** Gaussian filter with standard deviation c pixels, edges extended by the nearest pixel. */
  GAUSSIAN_BLUR("gaussian_blur", 1, 2, 3, 4, 6),
  /** Scales each channel's deviation from its mean by c. */
  CONTRAST("contrast", 0.4, 0.3, 0.2, 0.1, 0.05),
  /** Adds c to the HSV value (for one channel: to the intensity), clipped at 1. */
  BRIGHTNESS("brightness", 0.1, 0.2, 0.3, 0.4, 0.5),
  /**
   * Box-downsamples to floor(c * size) pixels per side, then box-upsamples back. At 28 px these
   * factors give 20, 14, 10, 7 and 5 px. The ImageNet-C factors (0.6, 0.5, 0.4, 0.3, 0.25) give
   * 16, 14, 11, 8 and 7 px. Because 14 and 7 divide 28 evenly, those severities change an image
   * less than the severity before them. The factors 0.5 and 0.25 are kept.
   */
  PIXELATE("pixelate", 0.72, 0.5, 0.36, 0.25, 0.18);

  /** Number of severities, numbered 1 to 5. */
  public static final int SEVERITIES = 5;

  private final String id;
  private final double[] parameters;

  Corruption(String id, double... parameters) {
    this.id = id;
    this.parameters = parameters;
  }

  /** Returns the snake_case name used in stored results, for example {@code gaussian_noise}. */
  public String id() {
    return id;
  }

  /**
   * Returns the parameter c of a severity.
   *
   * @param severity 1 (mildest) to 5
   */
  public double parameter(int severity) {
    requireSeverity(severity);
    return parameters[severity - 1];
  }

  /** Returns the parameters of severities 1 to 5. */
  public List<Double> parameters() {
    return Arrays.stream(parameters).boxed().toList();
  }

  /** Returns the corruption with the given id. */
  public static Corruption fromId(String id) {
    for (Corruption corruption : values()) {
      if (corruption.id.equals(id)) {
        return corruption;
      }
    }
    throw new IllegalArgumentException("unknown corruption '" + id + "'; expected one of "
        + Arrays.stream(values()).map(Corruption::id).toList());
  }

  static void requireSeverity(int severity) {
    if (severity < 1 || severity > SEVERITIES) {
      throw new IllegalArgumentException(
          "severity is " + severity + "; expected 1 to " + SEVERITIES);
    }
  }
}
