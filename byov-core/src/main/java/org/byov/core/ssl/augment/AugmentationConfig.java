package org.byov.core.ssl.augment;

/**
 * The transforms of BYOL's two views. The views differ only in their blur and solarisation
 * probabilities, which makes the two views asymmetric as in BYOL.
 *
 * @param first the transforms of view 1
 * @param second the transforms of view 2
 */
public record AugmentationConfig(ViewConfig first, ViewConfig second) {

  public AugmentationConfig {
    if (first == null || second == null) {
      throw new IllegalArgumentException("Both view configurations are required");
    }
  }

  /**
   * Returns BYOL's augmentations adapted to small images (28x28 and 32x32); docs/data.md gives the
   * reason for each change.
   *
   * <ul>
   *   <li>crop area 20% to 100% of the image (BYOL on 224x224 ImageNet: 8% to 100%), aspect ratio
   *       3/4 to 4/3;
   *   <li>flip probability 0.5;
   *   <li>colour jitter with probability 0.8: brightness 0.4, contrast 0.4, saturation 0.2 (BYOL
   *       also jitters hue by 0.1, which is not implemented);
   *   <li>grayscale probability 0.2, which affects only 3-channel images;
   *   <li>blur probability 1.0 for view 1 and 0.1 for view 2, sigma 0.1 to 1.0 pixels (BYOL: 0.1 to
   *       2.0 pixels on 224x224 images);
   *   <li>solarisation probability 0.0 for view 1 and 0.2 for view 2.
   * </ul>
   */
  public static AugmentationConfig byolSmallImages() {
    ViewConfig shared =
        new ViewConfig(0.2, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5, 0.8, 0.4, 0.4, 0.2, 0.2, 0, 0.1, 1.0, 0);
    return new AugmentationConfig(
        shared.withBlurAndSolarize(1.0, 0.0), shared.withBlurAndSolarize(0.1, 0.2));
  }
}
