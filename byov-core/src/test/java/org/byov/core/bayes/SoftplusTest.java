package org.byov.core.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoftplusTest {

  // Expected sigmas are log(1 + exp(rho)) evaluated with Python's math.log1p in double precision.
  private static final float[] RHO = {-7f, -5f, -20f, 100f, -104f};
  private static final double[] SIGMA = {9.1147e-4, 6.7153e-3, 2.0612e-9, 100.0, 1e-12};

  @Test
  void scalarSoftplusMatchesReference() {
    for (int i = 0; i < RHO.length; i++) {
      assertThat(Softplus.sigma(RHO[i])).isCloseTo(SIGMA[i], within(SIGMA[i] * 1e-4));
    }
  }

  @Test
  void arraySoftplusMatchesReferenceWithoutOverflow() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray sigma = Softplus.sigma(manager.create(RHO, new Shape(RHO.length)));
      float[] values = sigma.toFloatArray();
      for (int i = 0; i < RHO.length; i++) {
        assertThat((double) values[i]).isFinite();
        assertThat((double) values[i]).isCloseTo(SIGMA[i], within(SIGMA[i] * 1e-4));
      }
    }
  }

  @Test
  void veryNegativeRhoGivesFloorNotZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float value = Softplus.sigma(manager.create(new float[] {-104f})).getFloat(0);
      assertThat(value).isEqualTo((float) Softplus.SIGMA_FLOOR);
      assertThat(value).isNotNaN();
      assertThat(value).isGreaterThan(0f);
    }
  }

  @Test
  void gradientStaysFiniteAtExtremes() {
    try (NDManager manager = NDManager.newBaseManager();
        ai.djl.training.GradientCollector collector =
            ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      NDArray rho = manager.create(new float[] {-104f, -20f, 100f});
      rho.setRequiresGradient(true);
      collector.backward(Softplus.sigma(rho).sum());
      for (float gradient : rho.getGradient().toFloatArray()) {
        assertThat(gradient).isNotNaN();
      }
    }
  }

  @Test
  void rhoInvertsSigma() {
    assertThat(Softplus.sigma(Softplus.rho(0.05))).isCloseTo(0.05, within(1e-12));
    assertThat(Softplus.sigma(Softplus.rho(30.0))).isCloseTo(30.0, within(1e-9));
  }

  @Test
  void gradientSurvivesGarbageCollection() {
    // d softplus(rho) / d rho = 1 / (1 + exp(5)) = 6.6929e-3 for rho = -5 (hand calculation).
    // A collection between forward and backward frees unreferenced direct buffers, and the
    // buffers allocated below refill that memory with 1e6, so a freed constant changes the result.
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray rho = manager.create(new float[] {-5f, -5f, -5f, -5f});
      rho.setRequiresGradient(true);
      List<ByteBuffer> filler = new ArrayList<>();

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray sigma = Softplus.sigma(rho);
        for (int round = 0; round < 5; round++) {
          System.gc();
          for (int i = 0; i < 2000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buffer.putFloat(0, 1e6f);
            filler.add(buffer);
          }
        }
        collector.backward(sigma.sum());
      }

      assertThat(filler).hasSize(10_000);
      for (float gradient : rho.getGradient().toFloatArray()) {
        assertThat((double) gradient).isCloseTo(6.6929e-3, within(1e-6));
      }
    }
  }
}
