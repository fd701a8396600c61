package org.byov.core.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ByolLossTest {

  // Hand calculation: cos([1,0],[1,0]) = 1 gives 0; cos([0,1],[1,0]) = 0 gives 2; the mean is 1.

  @Test
  void oneDirectionPerSampleAndMean() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray prediction = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray target = manager.create(new float[] {1, 0, 1, 0}, new Shape(2, 2));

      float[] perSample = ByolLoss.perSample(prediction, target).toFloatArray();

      assertThat((double) perSample[0]).isCloseTo(0.0, within(1e-6));
      assertThat((double) perSample[1]).isCloseTo(2.0, within(1e-6));
      assertThat((double) ByolLoss.oneDirection(prediction, target).getFloat())
          .isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void symmetrisedSumsBothDirections() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray prediction = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray target = manager.create(new float[] {1, 0, 1, 0}, new Shape(2, 2));

      NDArray loss = ByolLoss.symmetrised(prediction, target, prediction, target);

      assertThat((double) loss.getFloat()).isCloseTo(2.0, within(1e-6));
    }
  }

  @Test
  void lossIsScaleInvariant() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray prediction = manager.create(new float[] {3, 4}, new Shape(1, 2));
      NDArray target = manager.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
      assertThat((double) ByolLoss.oneDirection(prediction, target).getFloat())
          .isCloseTo(0.0, within(1e-6));
    }
  }

  @Test
  void targetReceivesNoGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray prediction = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray target = manager.create(new float[] {1, 0, 1, 0}, new Shape(2, 2));
      prediction.setRequiresGradient(true);
      target.setRequiresGradient(true);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(ByolLoss.oneDirection(prediction, target));
      }

      float[] targetGradient = target.getGradient().toFloatArray();
      for (float value : targetGradient) {
        assertThat(value).isEqualTo(0f);
      }
      float[] predictionGradient = prediction.getGradient().toFloatArray();
      // d/dp of (2 - 2 p_y) / 2 for the second row, p = [0, 1], z = [1, 0]: -[1, 0] + 0 = [-1, 0].
      assertThat((double) predictionGradient[2]).isCloseTo(-1.0, within(1e-6));
    }
  }
}
