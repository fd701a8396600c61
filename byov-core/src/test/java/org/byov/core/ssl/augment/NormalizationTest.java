package org.byov.core.ssl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.junit.jupiter.api.Test;

class NormalizationTest {

  @Test
  void measuresMeanAndStdPerChannel() {
    // Channel 0 contains 0 and 255 (mean 0.5, std 0.5), channel 1 contains 51 and 153 (mean 0.4,
    // std 0.2).
    byte[] pixels = {0, (byte) 255, 51, (byte) 153};
    ImageSet set = new ImageSet("two", 1, 2, 1, 2, pixels, new int[1], List.of("a"), "f");

    Normalization normalization = Normalization.of(set);

    assertThat(normalization.mean()[0]).isCloseTo(0.5f, within(1e-6f));
    assertThat(normalization.std()[0]).isCloseTo(0.5f, within(1e-6f));
    assertThat(normalization.mean()[1]).isCloseTo(0.4f, within(1e-6f));
    assertThat(normalization.std()[1]).isCloseTo(0.2f, within(1e-6f));
  }

  @Test
  void constantChannelIsRejected() {
    byte[] pixels = {51, 51};
    ImageSet set = new ImageSet("flat", 1, 1, 1, 2, pixels, new int[1], List.of("a"), "f");

    assertThatThrownBy(() -> Normalization.of(set))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel 0")
        .hasMessageContaining("std 0.0");
  }

  @Test
  void emptySetIsRejected() {
    ImageSet empty = new ImageSet("empty", 0, 1, 2, 2, new byte[0], new int[0], List.of("a"), "f");

    assertThatThrownBy(() -> Normalization.of(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty: it has no images");
  }

  @Test
  void fashionMnistTrainStatistics() throws IOException {
    ImageSet train = DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TRAIN);

    Normalization normalization = Normalization.of(train);

    // The widely published Fashion-MNIST training statistics: mean 0.2860, std 0.3530.
    assertThat(normalization.mean()[0]).isCloseTo(0.2860f, within(5e-4f));
    assertThat(normalization.std()[0]).isCloseTo(0.3530f, within(5e-4f));
  }

  @Test
  void applyNormalisesWithoutAugmentation() {
    byte[] pixels = {0, (byte) 255, 51, (byte) 204};
    ImageSet set = new ImageSet("s", 2, 1, 1, 2, pixels, new int[2], List.of("a"), "f");
    Normalization normalization = new Normalization(new float[] {0.5f}, new float[] {0.25f});

    float[] out = normalization.apply(set, new int[] {1, 0});

    // (0.2 - 0.5) / 0.25 = -1.2, (0.8 - 0.5) / 0.25 = 1.2, then image 0: -2 and 2.
    assertThat(out).containsExactly(new float[] {-1.2f, 1.2f, -2f, 2f}, within(1e-5f));
  }
}
