package org.byov.core.ssl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each expected value below is worked out by hand from the operation's formula. */
class ImageOpsTest {

  private static final Offset<Float> TOLERANCE = within(1e-6f);

  @Test
  void flipOfTwoByThreeImage() {
    float[] image = {1, 2, 3, 4, 5, 6};

    ImageOps.flipHorizontal(image, 1, 2, 3);

    assertThat(image).containsExactly(3, 2, 1, 6, 5, 4);
  }

  @Test
  void flipMirrorsEveryChannel() {
    float[] image = {1, 2, 3, 4};

    ImageOps.flipHorizontal(image, 2, 1, 2);

    assertThat(image).containsExactly(2, 1, 4, 3);
  }

  @Test
  void solarizeInvertsFromThreshold() {
    float[] image = {0.2f, 0.49f, 0.5f, 0.7f, 1.0f};

    ImageOps.solarize(image);

    assertThat(image).containsExactly(new float[] {0.2f, 0.49f, 0.5f, 0.3f, 0.0f}, TOLERANCE);
  }

  @Test
  void brightnessScalesAndClamps() {
    float[] image = {0.2f, 0.6f};

    ImageOps.adjustBrightness(image, 1.5f);

    assertThat(image).containsExactly(new float[] {0.3f, 0.9f}, TOLERANCE);

    ImageOps.adjustBrightness(image, 2f);

    // 0.3 x 2 = 0.6 and 0.9 x 2 = 1.8, clamped to 1.
    assertThat(image).containsExactly(new float[] {0.6f, 1.0f}, TOLERANCE);
  }

  @Test
  void contrastBlendsWithMean() {
    float[] image = {0.2f, 0.6f};

    ImageOps.adjustContrast(image, 1, 1, 2, 0.5f);

    // mean 0.4: 0.5 x 0.2 + 0.5 x 0.4 = 0.3 and 0.5 x 0.6 + 0.5 x 0.4 = 0.5.
    assertThat(image).containsExactly(new float[] {0.3f, 0.5f}, TOLERANCE);
  }

  @Test
  void contrastOfColourUsesLumaMean() {
    float[] image = {1f, 0f, 0f};

    ImageOps.adjustContrast(image, 3, 1, 1, 0f);

    // Factor 0 leaves only the luma mean: 0.299 x 1 + 0.587 x 0 + 0.114 x 0.
    assertThat(image).containsExactly(new float[] {0.299f, 0.299f, 0.299f}, TOLERANCE);
  }

  @Test
  void grayscaleUsesLumaWeights() {
    float[] image = {1f, 0.5f, 0f};

    ImageOps.toGrayscale(image, 3, 1, 1);

    // 0.299 x 1 + 0.587 x 0.5 + 0.114 x 0 = 0.5925.
    assertThat(image).containsExactly(new float[] {0.5925f, 0.5925f, 0.5925f}, TOLERANCE);
  }

  @Test
  void saturationBlendsWithGray() {
    float[] image = {1f, 0.5f, 0f};

    ImageOps.adjustSaturation(image, 3, 1, 1, 0.5f);

    // Gray 0.5925: 0.5 x 1 + 0.5 x 0.5925, 0.5 x 0.5 + 0.5 x 0.5925, 0.5 x 0 + 0.5 x 0.5925.
    assertThat(image).containsExactly(new float[] {0.79625f, 0.54625f, 0.29625f}, TOLERANCE);
  }

  @Test
  void saturationIgnoresOneChannel() {
    float[] image = {0.25f};

    ImageOps.adjustSaturation(image, 1, 1, 1, 0f);

    assertThat(image).containsExactly(0.25f);
  }

  @Test
  void fullWindowCropIsIdentity() {
    float[] source = new float[3 * 4 * 5];
    for (int i = 0; i < source.length; i++) {
      source[i] = i / 60f;
    }
    float[] target = new float[source.length];

    ImageOps.resizedCrop(source, 3, 4, 5, 0, 0, 4, 5, target);

    assertThat(target).containsExactly(source);
  }

  @Test
  void cropUpsamplesBilinearly() {
    // 4x4 image whose top-left 2x2 window is [[0, 1], [0, 1]]; the rest is 9 and must not leak in.
    float[] source = {
      0, 1, 9, 9,
      0, 1, 9, 9,
      9, 9, 9, 9,
      9, 9, 9, 9
    };
    float[] target = new float[16];

    ImageOps.resizedCrop(source, 1, 4, 4, 0, 0, 2, 2, target);

    // Half-pixel centres with scale 1/2: x_source = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped
    // to the last pixel), so each row is [0, 0.25, 0.75, 1] as in PyTorch's interpolate.
    for (int row = 0; row < 4; row++) {
      float[] line = java.util.Arrays.copyOfRange(target, row * 4, row * 4 + 4);
      assertThat(line).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, TOLERANCE);
    }
  }

  @Test
  void cropOfOffsetWindow() {
    float[] source = {
      0, 1, 2,
      3, 4, 5,
      6, 7, 8
    };
    float[] target = new float[9];

    ImageOps.resizedCrop(source, 1, 3, 3, 1, 1, 1, 1, target);

    // A 1x1 window at (1, 1) fills the output with the centre pixel.
    assertThat(target).containsOnly(4f);
  }

  @Test
  void blurOfImpulseWithThreeTapKernel() {
    // sigma = 1 / sqrt(2 ln 2) makes the outer weight exp(-1 / (2 sigma^2)) = 1/2, so the
    // normalised kernel is [1/4, 1/2, 1/4] and the 2-D response is its outer product.
    double sigma = 1 / Math.sqrt(2 * Math.log(2));
    float[] image = new float[25];
    image[12] = 1f;

    ImageOps.gaussianBlur(image, 1, 5, 5, sigma, 1, new float[25]);

    assertThat(image[12]).isCloseTo(0.25f, TOLERANCE);
    assertThat(image[7]).isCloseTo(0.125f, TOLERANCE);
    assertThat(image[11]).isCloseTo(0.125f, TOLERANCE);
    assertThat(image[6]).isCloseTo(0.0625f, TOLERANCE);
    assertThat(image[0]).isCloseTo(0f, TOLERANCE);
  }

  @Test
  void blurKeepsConstantImage() {
    float[] image = new float[2 * 4 * 4];
    java.util.Arrays.fill(image, 0.7f);

    ImageOps.gaussianBlur(image, 2, 4, 4, 1.0, 3, new float[16]);

    assertThat(image).containsOnly(new float[] {0.7f}, within(1e-6f)).hasSize(32);
  }

  @Test
  void reflectMirrorsWithoutRepeatingEdge() {
    // Size 5: ... 2 1 | 0 1 2 3 4 | 3 2 ...
    assertThat(ImageOps.reflect(-1, 5)).isEqualTo(1);
    assertThat(ImageOps.reflect(-2, 5)).isEqualTo(2);
    assertThat(ImageOps.reflect(5, 5)).isEqualTo(3);
    assertThat(ImageOps.reflect(9, 5)).isEqualTo(1);
    assertThat(ImageOps.reflect(3, 1)).isEqualTo(0);
  }

  @Test
  void blurRadiusIsThreeSigma() {
    assertThat(ImageOps.blurRadius(0.1)).isEqualTo(1);
    assertThat(ImageOps.blurRadius(1.0)).isEqualTo(3);
    assertThat(ImageOps.blurRadius(1.01)).isEqualTo(4);
  }
}
