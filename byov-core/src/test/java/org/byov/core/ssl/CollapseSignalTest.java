package org.byov.core.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CollapseSignalTest {

  @Test
  void gaussianEmbeddingsAreNotCollapsed() {
    // A normalised Gaussian vector in 128 dimensions has coordinates of std 1/sqrt(128) = 0.0884.
    SplittableRandom random = new SplittableRandom(7);
    float[] values = new float[256 * 128];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      double meanStd = CollapseSignal.meanStd(manager.create(values, new Shape(256, 128)));

      assertThat(meanStd).isCloseTo(0.088, within(0.004));
      assertThat(CollapseSignal.isCollapsed(meanStd, 128)).isFalse();
    }
  }

  @Test
  void oneRepeatedVectorIsCollapsed() {
    SplittableRandom random = new SplittableRandom(11);
    float[] base = new float[128];
    for (int d = 0; d < base.length; d++) {
      base[d] = (float) random.nextGaussian();
    }
    float[] values = new float[256 * 128];
    for (int i = 0; i < 256; i++) {
      for (int d = 0; d < 128; d++) {
        values[i * 128 + d] = base[d] + (float) (1e-6 * random.nextGaussian());
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray embeddings = manager.create(values, new Shape(256, 128));
      double meanStd = CollapseSignal.meanStd(embeddings);

      assertThat(meanStd).isLessThan(1e-5);
      assertThat(CollapseSignal.isCollapsed(meanStd, 128)).isTrue();
    }
  }

  @Test
  void thresholdIsTenthOfUniformSpread() {
    assertThat(CollapseSignal.threshold(100)).isCloseTo(0.01, within(1e-12));
  }
}
