package org.byov.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import org.byov.core.bayes.Softplus;
import org.junit.jupiter.api.Test;

class BayesianLayersTest {

  private static final long SEED = 42;

  @Test
  void batchedLinearSamplesMatchOneAtATime() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, true)) {
      LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.ONLINE, new Initializer(1));
      BayesianLinear layer = (BayesianLinear) factory.linear("fc", 4, 3, true);
      store.get("fc.rho").assign(Initializer.constant(12, -1f));
      NDArray input = manager.randomUniform(-1, 1, new Shape(2, 4));
      int samples = 3;
      NoiseSource noise = new NoiseSource(SEED, 5);
      ForwardPass pass = new ForwardPass(false, false, samples, ForwardPass.WeightMode.SAMPLED,
          noise);

      NDArray batched = layer.forward(input.expandDims(0).repeat(0, samples).reshape(samples * 2, 4), pass);

      assertThat(batched.getShape()).isEqualTo(new Shape(6, 3));
      float sigma = (float) Softplus.sigma(-1.0);
      for (int s = 0; s < samples; s++) {
        NDArray epsilon = manager.create(noise.gaussian(0, s, 12), new Shape(3, 4));
        NDArray weight = store.get("fc.mu").array().add(epsilon.mul(sigma));
        NDArray expected = Linear.linear(input, weight, store.get("fc.bias").array())
            .singletonOrThrow();
        assertClose(batched.get(s * 2 + ":" + (s * 2 + 2)), expected);
      }
    }
  }

  @Test
  void batchedConvolutionSamplesMatchOneAtATime() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, true)) {
      LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.ONLINE, new Initializer(2));
      BayesianConv2d layer = (BayesianConv2d) factory.conv2d("conv", 2, 3, 3, 2, true);
      int weights = 3 * 2 * 3 * 3;
      store.get("conv.rho").assign(Initializer.constant(weights, -2f));
      int samples = 3;
      int batch = 2;
      NDArray perSampleInputs = manager.randomUniform(-1, 1, new Shape(samples * batch, 2, 5, 5));
      NoiseSource noise = new NoiseSource(SEED, 9);
      ForwardPass pass = new ForwardPass(false, false, samples, ForwardPass.WeightMode.SAMPLED,
          noise);

      NDArray batched = layer.forward(perSampleInputs, pass);

      assertThat(batched.getShape()).isEqualTo(new Shape(6, 3, 3, 3));
      float sigma = (float) Softplus.sigma(-2.0);
      for (int s = 0; s < samples; s++) {
        NDArray epsilon = manager.create(noise.gaussian(0, s, weights), new Shape(3, 2, 3, 3));
        NDArray kernel = store.get("conv.mu").array().add(epsilon.mul(sigma));
        NDArray slice = perSampleInputs.get(s * batch + ":" + (s * batch + batch));
        NDArray expected = Conv2d.conv2d(slice, kernel, null, new Shape(2, 2), new Shape(1, 1),
            new Shape(1, 1), 1).singletonOrThrow();
        assertClose(batched.get(s * batch + ":" + (s * batch + batch)), expected);
      }
    }
  }

  @Test
  void meanPassUsesPosteriorMean() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, true)) {
      LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.ONLINE, new Initializer(3));
      Layer layer = factory.linear("fc", 4, 2, true);
      NDArray input = manager.randomUniform(-1, 1, new Shape(5, 4));

      NDArray output = layer.forward(input, ForwardPass.inferenceMean());

      NDArray expected = Linear.linear(input, store.get("fc.mu").array(),
          store.get("fc.bias").array()).singletonOrThrow();
      assertClose(output, expected);
    }
  }

  @Test
  void noiseIsCounterBased() {
    NoiseSource noise = new NoiseSource(SEED, 100);
    assertThat(noise.gaussian(1, 2, 50)).containsExactly(new NoiseSource(SEED, 100).gaussian(1, 2, 50));
    assertThat(noise.gaussian(1, 2, 50)).isNotEqualTo(noise.gaussian(1, 3, 50));
    assertThat(noise.gaussian(1, 2, 50)).isNotEqualTo(new NoiseSource(SEED, 101).gaussian(1, 2, 50));
    assertThat(noise.gaussian(1, 2, 50)).isNotEqualTo(noise.gaussian(0, 2, 50));
  }

  @Test
  void prunedWeightWithZeroSigmaStaysZero() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, false)) {
      LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.FROZEN, new Initializer(4));
      BayesianLayer layer = (BayesianLayer) factory.linear("fc", 3, 1, true);
      layer.mean().assign(new float[] {0f, 1f, 0f});
      layer.sigma().assign(new float[] {0f, 0f, 0.5f});
      NDArray input = manager.create(new float[] {1f, 0f, 0f}, new Shape(1, 3));

      NDArray output = layer.forward(input.repeat(0, 4),
          ForwardPass.inferenceSampled(4, 7));

      // Only weight 0 sees the input, and its mu and sigma are both 0.
      for (float value : output.toFloatArray()) {
        assertThat(value).isEqualTo(0f);
      }
    }
  }

  private static void assertClose(NDArray actual, NDArray expected) {
    assertThat(actual.getShape()).isEqualTo(expected.getShape());
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloatArray();
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("element %d", i).isCloseTo(e[i], within(1e-5));
    }
  }
}
