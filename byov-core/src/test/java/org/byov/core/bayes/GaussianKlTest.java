package org.byov.core.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GaussianKlTest {

  // Hand calculation: KL = log(1 / sigma) + (sigma^2 + mu^2) / 2 - 1/2 against N(0, 1).
  // mu = 0.1, sigma = 0.1: 2.302585 + 0.01 - 0.5 = 1.812585.
  // mu = 0, sigma = softplus(-5) = 6.715348e-3: 5.003354 + 2.25e-5 - 0.5 = 4.503377.

  @Test
  void scalarKlToStandardNormal() {
    assertThat(GaussianKl.perWeight(0, 1, 0, 1)).isCloseTo(0.0, within(1e-12));
    assertThat(GaussianKl.perWeight(0.1, 0.1, 0, 1)).isCloseTo(1.81259, within(1e-5));
    assertThat(GaussianKl.perWeight(0, Softplus.sigma(-5), 0, 1)).isCloseTo(4.50338, within(1e-5));
  }

  @Test
  void arrayKlIsSummedNotAveraged() {
    try (NDManager manager = NDManager.newBaseManager()) {
      int count = 1000;
      NDArray mu = manager.zeros(new Shape(count));
      NDArray rho = manager.full(new Shape(count), -5f);
      Posterior posterior = Posterior.ofRho(mu, rho);

      float total = posterior.kl(manager.create(0f), manager.create(1f)).getFloat();

      assertThat((double) total).isCloseTo(4.50338 * count, within(0.05));
    }
  }

  @Test
  void arrayKlMatchesScalarForMixedValues() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray mu = manager.create(new float[] {0f, 0.1f, -0.3f});
      NDArray sigma = manager.create(new float[] {1f, 0.1f, 0.2f});
      NDArray priorMu = manager.create(new float[] {0f, 0f, 0.5f});
      NDArray priorSigma = manager.create(new float[] {1f, 1f, 0.4f});

      float[] kl = GaussianKl.perWeight(mu, sigma, priorMu, priorSigma).toFloatArray();

      assertThat((double) kl[0]).isCloseTo(0.0, within(1e-6));
      assertThat((double) kl[1]).isCloseTo(1.81259, within(1e-5));
      assertThat((double) kl[2]).isCloseTo(GaussianKl.perWeight(-0.3, 0.2, 0.5, 0.4),
          within(1e-5));
    }
  }
}
