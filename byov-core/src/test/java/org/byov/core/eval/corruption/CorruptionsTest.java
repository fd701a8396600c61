package org.byov.core.eval.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.byov.core.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CorruptionsTest {

  private static final int SIZE = 28;

  /**
   * A garment-like 28x28 test image: an ellipse of mid-grey with horizontal stripes on a black
   * background, plus mild pixel noise. Size, position and stripe period vary with the seed, so
   * every corruption has edges, flat areas and texture to act on.
   */
  private static float[] testImage(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double centreX = 12 + 4 * random.nextDouble();
    double centreY = 12 + 4 * random.nextDouble();
    double radiusX = 7 + 4 * random.nextDouble();
    double radiusY = 9 + 4 * random.nextDouble();
    int stripePeriod = 2 + random.nextInt(4);
    float[] image = new float[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double dx = (x - centreX) / radiusX;
        double dy = (y - centreY) / radiusY;
        if (dx * dx + dy * dy <= 1) {
          double stripe = (y / stripePeriod) % 2 == 0 ? 0.25 : 0;
          image[y * SIZE + x] = (float) (0.45 + stripe + 0.1 * random.nextDouble());
        }
      }
    }
    return image;
  }

  private static double meanAbsoluteChange(float[] before, float[] after) {
    double sum = 0;
    for (int i = 0; i < before.length; i++) {
      sum += Math.abs(after[i] - before[i]);
    }
    return sum / before.length;
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void changeGrowsWithSeverity(Corruption corruption) {
    // Mean absolute change over 20 images. An average, because pixelation of a single image can
    // change it less at a coarser grid that divides 28 evenly (7 px) than at a finer one (10 px).
    int images = 20;
    double previous = 0;
    for (int severity = 1; severity <= Corruption.SEVERITIES; severity++) {
      double change = 0;
      for (int imageIndex = 0; imageIndex < images; imageIndex++) {
        float[] image = testImage(100 + imageIndex);
        float[] corrupted =
            Corruptions.corrupt(image, 1, SIZE, SIZE, corruption, severity, 42, imageIndex);
        change += meanAbsoluteChange(image, corrupted) / images;
      }
      assertThat(change).as("%s severity %d", corruption.id(), severity).isGreaterThan(previous);
      previous = change;
    }
  }

  @ParameterizedTest
  @EnumSource(value = Corruption.class, names = "PIXELATE", mode = EnumSource.Mode.EXCLUDE)
  void changeGrowsWithSeverityPerImage(Corruption corruption) {
    for (long imageIndex = 0; imageIndex < 5; imageIndex++) {
      float[] image = testImage(100 + imageIndex);
      double previous = 0;
      for (int severity = 1; severity <= Corruption.SEVERITIES; severity++) {
        float[] corrupted =
            Corruptions.corrupt(image, 1, SIZE, SIZE, corruption, severity, 42, imageIndex);
        double change = meanAbsoluteChange(image, corrupted);
        assertThat(change)
            .as("%s severity %d, image %d", corruption.id(), severity, imageIndex)
            .isGreaterThan(previous);
        previous = change;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void sameSeedGivesSameImage(Corruption corruption) {
    float[] image = testImage(1);

    float[] first = Corruptions.corrupt(image, 1, SIZE, SIZE, corruption, 3, 7, 12);
    float[] second = Corruptions.corrupt(image, 1, SIZE, SIZE, corruption, 3, 7, 12);

    assertThat(second).containsExactly(first);
    for (float value : first) {
      assertThat(value).isBetween(0f, 1f);
    }
  }

  @Test
  void seedAndIndexChangeNoise() {
    float[] image = testImage(1);

    float[] base = Corruptions.corrupt(image, 1, SIZE, SIZE, Corruption.GAUSSIAN_NOISE, 2, 7, 0);
    float[] otherSeed =
        Corruptions.corrupt(image, 1, SIZE, SIZE, Corruption.GAUSSIAN_NOISE, 2, 8, 0);
    float[] otherIndex =
        Corruptions.corrupt(image, 1, SIZE, SIZE, Corruption.GAUSSIAN_NOISE, 2, 7, 1);

    assertThat(otherSeed).isNotEqualTo(base);
    assertThat(otherIndex).isNotEqualTo(base);
  }

  @Test
  void imageSetResultIgnoresOrderAndThreads() {
    // Image 2 of a three-image set must come out as the same image corrupted alone at index 2.
    byte[] pixels = new byte[3 * SIZE * SIZE];
    for (int index = 0; index < 3; index++) {
      float[] image = testImage(index);
      for (int p = 0; p < image.length; p++) {
        pixels[index * image.length + p] = (byte) Math.round(image[p] * 255);
      }
    }
    ImageSet set = new ImageSet("test", 3, 1, SIZE, SIZE, pixels, new int[] {0, 1, 2},
        List.of("a", "b", "c"), "abc");

    ImageSet corrupted = Corruptions.corrupt(set, Corruption.SHOT_NOISE, 4, 99);
    float[] alone = new float[SIZE * SIZE];
    for (int p = 0; p < alone.length; p++) {
      alone[p] = (pixels[2 * alone.length + p] & 0xFF) / 255f;
    }
    float[] expected = Corruptions.corrupt(alone, 1, SIZE, SIZE, Corruption.SHOT_NOISE, 4, 99, 2);

    for (int p = 0; p < alone.length; p++) {
      assertThat(corrupted.pixel(2, p)).isEqualTo(Math.round(expected[p] * 255));
    }
    assertThat(corrupted.name()).isEqualTo("test/shot_noise-4");
    assertThat(corrupted.labels()).containsExactly(0, 1, 2);
    assertThat(corrupted.fingerprint()).hasSize(64).isNotEqualTo("abc");
  }

  @Test
  void contrastScalesDeviationFromMean() {
    // Hand calculation: values 0 and 1 have mean 0.5; severity 1 (c = 0.4) gives
    // 0.5 -+ 0.5 * 0.4 = 0.3 and 0.7.
    float[] corrupted = Corruptions.corrupt(
        new float[] {0, 1}, 1, 1, 2, Corruption.CONTRAST, 1, 0, 0);

    assertThat(corrupted[0]).isCloseTo(0.3f, within(1e-6f));
    assertThat(corrupted[1]).isCloseTo(0.7f, within(1e-6f));
  }

  @Test
  void brightnessRaisesHsvValue() {
    // Grey pixel 0.5: severity 2 (c = 0.2) gives 0.7. RGB pixel (0.2, 0.4, 0.8): V = 0.8 rises
    // to 1.0, so every channel scales by 1.25 to (0.25, 0.5, 1.0), keeping hue and saturation.
    float[] grey = Corruptions.corrupt(new float[] {0.5f}, 1, 1, 1, Corruption.BRIGHTNESS, 2, 0, 0);
    float[] rgb = Corruptions.corrupt(
        new float[] {0.2f, 0.4f, 0.8f}, 3, 1, 1, Corruption.BRIGHTNESS, 2, 0, 0);

    assertThat(grey[0]).isCloseTo(0.7f, within(1e-6f));
    assertThat(rgb).containsExactly(new float[] {0.25f, 0.5f, 1.0f}, within(1e-6f));
  }

  @Test
  void pixelateAveragesBlocks() {
    // Hand calculation: a 4x4 image at factor 0.5 (severity 2) is averaged over 2x2 blocks and
    // each average is copied back to its block.
    float[] image = {
        0, 0.2f, 1, 1,
        0.4f, 0.2f, 1, 0,
        0, 0, 0, 0,
        0, 0, 0.8f, 0.4f};

    float[] corrupted = Corruptions.corrupt(image, 1, 4, 4, Corruption.PIXELATE, 2, 0, 0);

    float[] expected = {
        0.2f, 0.2f, 0.75f, 0.75f,
        0.2f, 0.2f, 0.75f, 0.75f,
        0, 0, 0.3f, 0.3f,
        0, 0, 0.3f, 0.3f};
    assertThat(corrupted).containsExactly(expected, within(1e-6f));
  }

  @Test
  void blurKernelMatchesScipyRadius() {
    // scipy.ndimage truncates at int(4 sigma + 0.5): sigma 1 gives radius 4 (9 taps) and sigma 6
    // radius 24 (49 taps); the kernel sums to 1 and is symmetric.
    double[] kernel = Filters.gaussianKernel(1);

    assertThat(kernel).hasSize(9);
    assertThat(Filters.gaussianKernel(6)).hasSize(49);
    assertThat(java.util.Arrays.stream(kernel).sum()).isCloseTo(1.0, within(1e-15));
    assertThat(kernel[0]).isEqualTo(kernel[8]);
  }

  @Test
  void blurKeepsConstantImage() {
    float[] flat = new float[SIZE * SIZE];
    java.util.Arrays.fill(flat, 0.6f);

    float[] blurred = Corruptions.corrupt(flat, 1, SIZE, SIZE, Corruption.GAUSSIAN_BLUR, 5, 0, 0);

    for (float value : blurred) {
      assertThat(value).isCloseTo(0.6f, within(1e-6f));
    }
  }

  @Test
  void poissonHasItsMeanAndVariance() {
    // Poisson(40): mean and variance 40. Over 20,000 draws the standard error of the mean is
    // 0.045, so 0.3 is more than six standard errors.
    SplittableRandom random = new SplittableRandom(3);
    double sum = 0;
    double sumOfSquares = 0;
    int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      long value = Corruptions.poisson(40, random);
      sum += value;
      sumOfSquares += (double) value * value;
    }
    double mean = sum / draws;
    double variance = sumOfSquares / draws - mean * mean;

    assertThat(mean).isCloseTo(40, within(0.3));
    assertThat(variance).isCloseTo(40, within(2.0));
    assertThat(Corruptions.poisson(0, random)).isZero();
  }

  @Test
  void impulseNoiseSetsSaltAndPepper() {
    float[] image = new float[10_000];
    java.util.Arrays.fill(image, 0.5f);

    float[] corrupted =
        Corruptions.corrupt(image, 1, 100, 100, Corruption.IMPULSE_NOISE, 5, 0, 0);

    int salt = 0;
    int pepper = 0;
    for (float value : corrupted) {
      salt += value == 1f ? 1 : 0;
      pepper += value == 0f ? 1 : 0;
    }
    // Amount 0.27 of 10,000 values: about 1,350 of each; the standard deviation is about 34.
    assertThat(salt).isBetween(1150, 1550);
    assertThat(pepper).isBetween(1150, 1550);
  }

  @Test
  void invalidInputIsRejected() {
    assertThatThrownBy(() -> Corruptions.corrupt(
            new float[] {0.5f, 1.5f}, 1, 1, 2, Corruption.CONTRAST, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image value 1");
    assertThatThrownBy(() -> Corruptions.corrupt(
            new float[] {0.5f}, 1, 1, 1, Corruption.CONTRAST, 6, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("severity is 6");
    assertThatThrownBy(() -> Corruption.fromId("fog"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gaussian_noise");
  }
}
