package org.byov.core.ssl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.byov.core.data.ImageSet;
import org.junit.jupiter.api.Test;

class ByolAugmenterTest {

  private static final int[] BATCH = {3, 0, 7, 7, 1};

  /** Eight 1x6x6 images whose pixel p of image i is (37 i + 11 p) mod 256. */
  private static ImageSet grayscaleSet() {
    int count = 8;
    byte[] pixels = new byte[count * 36];
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < 36; p++) {
        pixels[i * 36 + p] = (byte) ((37 * i + 11 * p) % 256);
      }
    }
    return new ImageSet("pattern", count, 1, 6, 6, pixels, new int[count], List.of("only"), "f");
  }

  private static final Normalization NORMALIZATION =
      new Normalization(new float[] {0.25f}, new float[] {0.5f});

  private static ByolAugmenter byol(boolean parallel) {
    return new ByolAugmenter(AugmentationConfig.byolSmallImages(), NORMALIZATION, parallel);
  }

  @Test
  void outputShapeIsBatchTimesImage() {
    float[][] views = byol(false).twoViews(grayscaleSet(), BATCH, 1);

    assertThat(views).hasDimensions(2, BATCH.length * 36);
  }

  @Test
  void sameSeedGivesSameViews() {
    float[][] first = byol(false).twoViews(grayscaleSet(), BATCH, 42);
    float[][] second = byol(false).twoViews(grayscaleSet(), BATCH, 42);

    assertThat(second[0]).containsExactly(first[0]);
    assertThat(second[1]).containsExactly(first[1]);
  }

  @Test
  void parallelEqualsSequential() {
    float[][] sequential = byol(false).twoViews(grayscaleSet(), BATCH, 42);
    float[][] parallel = byol(true).twoViews(grayscaleSet(), BATCH, 42);

    assertThat(parallel[0]).containsExactly(sequential[0]);
    assertThat(parallel[1]).containsExactly(sequential[1]);
  }

  @Test
  void differentSeedsGiveDifferentViews() {
    float[][] first = byol(false).twoViews(grayscaleSet(), BATCH, 42);
    float[][] second = byol(false).twoViews(grayscaleSet(), BATCH, 43);

    assertThat(Arrays.equals(first[0], second[0])).isFalse();
    assertThat(Arrays.equals(first[1], second[1])).isFalse();
  }

  @Test
  void twoViewsDiffer() {
    float[][] views = byol(false).twoViews(grayscaleSet(), BATCH, 42);

    assertThat(Arrays.equals(views[0], views[1])).isFalse();
  }

  @Test
  void repeatedIndexGetsIndependentAugmentations() {
    // Index 7 is at positions 2 and 3 of the batch, which seed their own generators.
    float[][] views = byol(false).twoViews(grayscaleSet(), BATCH, 42);

    float[] atTwo = Arrays.copyOfRange(views[0], 2 * 36, 3 * 36);
    float[] atThree = Arrays.copyOfRange(views[0], 3 * 36, 4 * 36);
    assertThat(Arrays.equals(atTwo, atThree)).isFalse();
  }

  @Test
  void identityViewsOnlyNormalise() {
    ImageSet set = grayscaleSet();
    ViewConfig identity = ViewConfig.identity();
    ByolAugmenter augmenter =
        new ByolAugmenter(new AugmentationConfig(identity, identity), NORMALIZATION, false);

    float[][] views = augmenter.twoViews(set, new int[] {5}, 9);

    // Pixel p of image 5 is (185 + 11 p) mod 256; normalised: (v / 255 - 0.25) / 0.5.
    for (int p = 0; p < 36; p++) {
      float expected = (((185 + 11 * p) % 256) / 255f - 0.25f) / 0.5f;
      assertThat(views[0][p]).isCloseTo(expected, within(1e-6f));
      assertThat(views[1][p]).isCloseTo(expected, within(1e-6f));
    }
  }

  @Test
  void secondViewSolarisesWhenConfigured() {
    ImageSet set = grayscaleSet();
    ViewConfig identity = ViewConfig.identity();
    ViewConfig solarize = identity.withBlurAndSolarize(0, 1);
    ByolAugmenter augmenter =
        new ByolAugmenter(new AugmentationConfig(identity, solarize), NORMALIZATION, false);

    float[][] views = augmenter.twoViews(set, new int[] {5}, 9);

    for (int p = 0; p < 36; p++) {
      float value = ((185 + 11 * p) % 256) / 255f;
      float solarized = value >= 0.5f ? 1 - value : value;
      assertThat(views[0][p]).isCloseTo((value - 0.25f) / 0.5f, within(1e-6f));
      assertThat(views[1][p]).isCloseTo((solarized - 0.25f) / 0.5f, within(1e-6f));
    }
  }

  @Test
  void cropWithScaleOneIsWholeImage() {
    ViewConfig whole = ViewConfig.identity();

    ByolAugmenter.CropWindow window = ByolAugmenter.sampleCrop(new SplitMix64(1), 28, 28, whole);

    assertThat(window).isEqualTo(new ByolAugmenter.CropWindow(0, 0, 28, 28));
  }

  @Test
  void cropFallsBackToCentreCrop() {
    // 28x32 with area fraction 1 and ratio 1 asks for round(sqrt(896)) = 30 pixels a side, which
    // never fits in 28 rows. The fallback clamps the ratio 32/28 to 1: a 28x28 window at column
    // (32 - 28) / 2 = 2.
    ByolAugmenter.CropWindow window =
        ByolAugmenter.sampleCrop(new SplitMix64(1), 28, 32, ViewConfig.identity());

    assertThat(window).isEqualTo(new ByolAugmenter.CropWindow(0, 2, 28, 28));
  }

  @Test
  void sampledCropsStayInsideImage() {
    ViewConfig view = AugmentationConfig.byolSmallImages().first();
    SplitMix64 random = new SplitMix64(5);

    for (int i = 0; i < 1000; i++) {
      ByolAugmenter.CropWindow window = ByolAugmenter.sampleCrop(random, 28, 28, view);
      assertThat(window.top()).isBetween(0, 28 - window.height());
      assertThat(window.left()).isBetween(0, 28 - window.width());
      // Area fraction 0.2 of 784 is 156.8 pixels; rounding each side can lose a little.
      assertThat(window.height() * window.width()).isBetween(140, 784);
    }
  }

  @Test
  void channelMismatchIsRejected() {
    Normalization rgb = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 1, 1});
    ByolAugmenter augmenter = new ByolAugmenter(AugmentationConfig.byolSmallImages(), rgb, false);

    assertThatThrownBy(() -> augmenter.twoViews(grayscaleSet(), BATCH, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Normalisation for 3 channels cannot apply to pattern with 1 channels");
  }

  @Test
  void indexOutsideSetIsRejected() {
    assertThatThrownBy(() -> byol(false).twoViews(grayscaleSet(), new int[] {8}, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void stepSeedDependsOnStep() {
    assertThat(ViewAugmenter.stepSeed(7, 0)).isEqualTo(ViewAugmenter.stepSeed(7, 0));
    assertThat(ViewAugmenter.stepSeed(7, 0)).isNotEqualTo(ViewAugmenter.stepSeed(7, 1));
    assertThat(ViewAugmenter.stepSeed(7, 0)).isNotEqualTo(ViewAugmenter.stepSeed(8, 0));
  }

  @Test
  void invalidSettingNamesField() {
    assertThatThrownBy(() -> ViewConfig.identity().withBlurAndSolarize(1.5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blurProbability = 1.5");
  }
}
