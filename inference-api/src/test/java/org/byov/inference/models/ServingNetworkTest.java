package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.byov.core.metrics.EmbeddingVariance;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
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
}
