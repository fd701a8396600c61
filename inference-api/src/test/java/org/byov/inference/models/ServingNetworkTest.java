package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.byov.core.metrics.EmbeddingVariance;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.NoiseSource;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterStore;
import org.junit.jupiter.api.Test;

class ServingNetworkTest {

  private static final NetworkLayout LAYOUT =
      new NetworkLayout("cnn", new ImageShape(1, 28, 28), BayesianScope.lastK(1), 0);

  /**
   * The local reparameterisation path must sample the same per-image distribution as sampling the
   * weights. The reference is byov-core's own Encoder, which samples whole weight matrices; both
   * estimate mean and variance from 2,000 samples, so they agree up to Monte Carlo error (about 3%
   * relative for a variance from 2,000 samples).
   */
  @Test
  void localReparameterisationMatchesWeightSampling() {
    int chunks = 5;
    int perChunk = 400;
    try (NDManager manager = NDManager.newBaseManager();
        Network reference = Network.build(manager, LAYOUT, Network.Heads.ENCODER,
            LayerFactory.Kind.FROZEN, 17);
        ServingNetwork serving = ServingNetwork.build(Device.cpu(), LAYOUT, 99)) {
      for (BayesianLayer layer : reference.bayesianLayers()) {
        float[] sigma = new float[(int) layer.weightCount()];
        Arrays.fill(sigma, 0.05f);
        layer.sigma().assign(sigma);
      }
      serving.copyFrom(reference.store());
      NDArray image = manager.randomUniform(0, 1, new Shape(1, 1, 28, 28));

      float[][] weightSamples = new float[chunks * perChunk][];
      float[][] localSamples = new float[chunks * perChunk][];
      for (int c = 0; c < chunks; c++) {
        float[] byWeights = reference.encoder()
            .forward(image, ForwardPass.inferenceSampled(perChunk, 1000 + c)).toFloatArray();
        float[] byLocal = serving.sampleTail(serving.trunk(image), perChunk,
            new long[] {2000 + c}, new int[] {0}).toFloatArray();
        for (int s = 0; s < perChunk; s++) {
          weightSamples[c * perChunk + s] = Arrays.copyOfRange(byWeights, s * 256, (s + 1) * 256);
          localSamples[c * perChunk + s] = Arrays.copyOfRange(byLocal, s * 256, (s + 1) * 256);
        }
      }

      double weightTotal = EmbeddingVariance.of(weightSamples).total();
      double localTotal = EmbeddingVariance.of(localSamples).total();
      assertThat(weightTotal).isGreaterThan(0);
      assertThat(localTotal).isCloseTo(weightTotal, within(0.12 * weightTotal));
      float[] meanA = mean(weightSamples);
      float[] meanB = mean(localSamples);
      double scale = Math.sqrt(weightTotal / 256);
      for (int d = 0; d < 256; d++) {
        assertThat((double) meanB[d]).as("mean of dimension %d", d)
            .isCloseTo(meanA[d], within(0.25 * scale + 1e-4));
      }
    }
  }

  @Test
  void meanTailMatchesCoreMeanPass() {
    try (NDManager manager = NDManager.newBaseManager();
        Network reference = Network.build(manager, LAYOUT, Network.Heads.ENCODER,
            LayerFactory.Kind.FROZEN, 17);
        ServingNetwork serving = ServingNetwork.build(Device.cpu(), LAYOUT, 99)) {
      serving.copyFrom(reference.store());
      NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));

      float[] expected = reference.encoder().forward(images, ForwardPass.inferenceMean())
          .toFloatArray();
      float[] actual = serving.meanTail(serving.trunk(images)).toFloatArray();

      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
      }
    }
  }

  /**
   * The serving network folds every BatchNorm into the layer before it. Initial BatchNorm
   * parameters are the identity map, so this test first gives every BatchNorm random scale,
   * shift and running statistics. The reference is byov-core's unfolded Encoder.
   */
  @Test
  void foldedBatchNormsMatchTheUnfoldedEncoder() {
    try (NDManager manager = NDManager.newBaseManager();
        Network reference = Network.build(manager, LAYOUT, Network.Heads.ENCODER,
            LayerFactory.Kind.FROZEN, 17);
        ServingNetwork serving = ServingNetwork.build(Device.cpu(), LAYOUT, 99)) {
      randomiseBatchNorms(reference.store(), 5);
      serving.copyFrom(reference.store());
      NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));

      float[] expected = reference.encoder().forward(images, ForwardPass.inferenceMean())
          .toFloatArray();
      float[] actual = serving.meanTail(serving.trunk(images)).toFloatArray();

      assertThat(Arrays.stream(toDoubles(expected)).filter(v -> v > 0).count())
          .as("positive outputs").isGreaterThan(expected.length / 10);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("output %d", i).isCloseTo(expected[i], within(1e-4));
      }
    }
  }

  /**
   * With a BatchNorm after the Bayesian embedding layer, the sampled tail scales the mean and
   * standard deviation of the pre-activation instead of normalising every sample. The expected
   * samples are computed here in double precision without folding: {@code m = x mu^T + b},
   * {@code s = sqrt(x^2 (sigma^2)^T)}, {@code y = m + s * epsilon} with epsilon from {@code
   * NoiseSource(seed, imageIndex)} on stream 0, then {@code relu(gamma (y - runningMean) /
   * sqrt(runningVariance + 1e-5) + beta)}.
   */
  @Test
  void sampledTailMatchesTheUnfoldedFormula() {
    int samples = 4;
    long[] seeds = {7, 7};
    int[] indices = {0, 1};
    try (NDManager manager = NDManager.newBaseManager();
        ServingNetwork serving = ServingNetwork.build(Device.cpu(), LAYOUT, 99)) {
      ParameterStore store = serving.store();
      randomiseBatchNorms(store, 6);
      for (BayesianLayer layer : serving.bayesianLayers()) {
        float[] sigma = new float[(int) layer.weightCount()];
        Arrays.fill(sigma, 0.05f);
        layer.sigma().assign(sigma);
      }
      serving.parametersChanged();
      NDArray features = serving.trunk(manager.randomUniform(0, 1, new Shape(2, 1, 28, 28)));
      float[] x = features.toFloatArray();

      float[] actual = serving.sampleTail(features, samples, seeds, indices).toFloatArray();

      float[] mu = values(store, "encoder.embedding.mu");
      float[] sigma = values(store, "encoder.embedding.sigma");
      float[] bias = values(store, "encoder.embedding.bias");
      float[] gamma = values(store, "encoder.embedding.norm.gamma");
      float[] beta = values(store, "encoder.embedding.norm.beta");
      float[] runningMean = values(store, "encoder.embedding.norm.runningMean");
      float[] runningVariance = values(store, "encoder.embedding.norm.runningVariance");
      int dim = 256;
      for (int i = 0; i < 2; i++) {
        NoiseSource noise = new NoiseSource(seeds[i], indices[i]);
        for (int s = 0; s < samples; s++) {
          float[] epsilon = noise.gaussian(0, s, dim);
          for (int o = 0; o < dim; o++) {
            double mean = bias[o];
            double variance = 0;
            for (int k = 0; k < dim; k++) {
              double input = x[i * dim + k];
              mean += input * mu[o * dim + k];
              variance += input * input * sigma[o * dim + k] * sigma[o * dim + k];
            }
            double y = mean + Math.sqrt(variance) * epsilon[o];
            double normalised = gamma[o] * (y - runningMean[o])
                / Math.sqrt(runningVariance[o] + 1e-5) + beta[o];
            double expected = Math.max(0, normalised);
            assertThat((double) actual[(s * 2 + i) * dim + o])
                .as("image %d sample %d dimension %d", i, s, o)
                .isCloseTo(expected, within(1e-4));
          }
        }
      }
    }
  }

  @Test
  void copyFromRejectsMissingParameter() {
    NetworkLayout none =
        new NetworkLayout("cnn", new ImageShape(1, 28, 28), BayesianScope.none(), 0);
    try (NDManager manager = NDManager.newBaseManager();
        Network plain = Network.build(manager, none, Network.Heads.ENCODER,
            LayerFactory.Kind.FROZEN, 1);
        ServingNetwork serving = ServingNetwork.build(Device.cpu(), LAYOUT, 1)) {
      assertThatThrownBy(() -> serving.copyFrom(plain.store()))
          .hasMessageContaining("encoder.embedding.mu");
    }
  }

  private static float[] mean(float[][] samples) {
    float[] mean = new float[samples[0].length];
    for (float[] sample : samples) {
      for (int d = 0; d < mean.length; d++) {
        mean[d] += sample[d] / samples.length;
      }
    }
    return mean;
  }

  /** Gives every BatchNorm of {@code store} random scale, shift and running statistics. */
  private static void randomiseBatchNorms(ParameterStore store, long seed) {
    Random random = new Random(seed);
    for (Parameter parameter : store.all()) {
      float[] values = new float[(int) parameter.array().size()];
      switch (parameter.role()) {
        case NORM_SCALE -> fill(values, () -> 0.5 + random.nextDouble());
        case NORM_SHIFT -> fill(values, () -> 0.2 * random.nextGaussian());
        case RUNNING_MEAN -> fill(values, () -> 0.3 * random.nextGaussian());
        case RUNNING_VARIANCE -> fill(values, () -> 0.5 + 1.5 * random.nextDouble());
        default -> values = null;
      }
      if (values != null) {
        parameter.assign(values);
      }
    }
  }

  private static void fill(float[] values, java.util.function.DoubleSupplier next) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) next.getAsDouble();
    }
  }

  private static float[] values(ParameterStore store, String name) {
    return store.get(name).array().toFloatArray();
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
