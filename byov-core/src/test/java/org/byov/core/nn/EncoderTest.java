package org.byov.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class EncoderTest {

  private static final ImageShape MNIST = new ImageShape(1, 28, 28);

  @Test
  void defaultCnnShapesAndParameters() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = Network.build(manager, new NetworkLayout("cnn", MNIST,
            BayesianScope.lastK(1), 0), Network.Heads.ONLINE_BYOL, LayerFactory.Kind.ONLINE, 1)) {
      NDArray images = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));

      NDArray features = network.encoder().trunk(images, ForwardPass.inferenceMean());
      NDArray embeddings = network.encoder().tail(features, ForwardPass.inferenceSampled(3, 5));

      assertThat(features.getShape()).isEqualTo(new Shape(4, 256));
      assertThat(embeddings.getShape()).isEqualTo(new Shape(12, 256));
      // Conv kernels 3x3: 1*32, 32*64, 64*128, 128*256 input-output pairs.
      assertThat(network.store().get("encoder.conv1.weight").array().getShape())
          .isEqualTo(new Shape(32, 1, 3, 3));
      assertThat(network.store().get("encoder.conv4.weight").array().getShape())
          .isEqualTo(new Shape(256, 128, 3, 3));
      assertThat(network.bayesianLayers()).hasSize(1);
      assertThat(network.bayesianLayers().get(0).name()).isEqualTo("encoder.embedding");
      assertThat(network.bayesianLayers().get(0).weightCount()).isEqualTo(256 * 256);
      assertThat(network.store().get("projector.output.weight").array().getShape())
          .isEqualTo(new Shape(128, 512));
      assertThat(network.store().get("predictor.hidden.weight").array().getShape())
          .isEqualTo(new Shape(512, 128));
    }
  }

  @Test
  void firstOfManySamplesEqualsSingleSample() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = Network.build(manager, new NetworkLayout("cnn", MNIST,
            BayesianScope.all(), 0), Network.Heads.ENCODER, LayerFactory.Kind.ONLINE, 2)) {
      NDArray images = manager.randomUniform(0, 1, new Shape(2, 1, 28, 28));

      NDArray many = network.encoder().forward(images, ForwardPass.inferenceSampled(3, 9));
      NDArray one = network.encoder().forward(images, ForwardPass.inferenceSampled(1, 9));

      assertThat(network.bayesianLayers()).hasSize(5);
      float[] first = many.get("0:2").toFloatArray();
      float[] single = one.toFloatArray();
      for (int i = 0; i < single.length; i++) {
        assertThat((double) first[i]).isCloseTo(single[i], within(1e-4));
      }
      assertThat(many.get("2:4").toFloatArray()).isNotEqualTo(single);
    }
  }

  @Test
  void scopeNoneHasNoBayesianLayers() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = Network.build(manager, new NetworkLayout("cnn", MNIST,
            BayesianScope.none(), 0), Network.Heads.ENCODER, LayerFactory.Kind.ONLINE, 3)) {
      assertThat(network.bayesianLayers()).isEmpty();
      assertThat(network.store().contains("encoder.embedding.weight")).isTrue();
    }
  }

  @Test
  void scopeLargerThanBackboneIsRejected() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> Network.build(manager, new NetworkLayout("cnn", MNIST,
          BayesianScope.lastK(6), 0), Network.Heads.ENCODER, LayerFactory.Kind.ONLINE, 3))
          .hasMessageContaining("bayesianScopeK = 6");
    }
  }

  @Test
  void sameSeedBuildsSameNetwork() {
    try (NDManager manager = NDManager.newBaseManager();
        Network a = Network.build(manager, new NetworkLayout("cnn", MNIST, BayesianScope.lastK(1),
            0), Network.Heads.ENCODER, LayerFactory.Kind.ONLINE, 8);
        Network b = Network.build(manager, new NetworkLayout("cnn", MNIST, BayesianScope.lastK(1),
            0), Network.Heads.ENCODER, LayerFactory.Kind.ONLINE, 8)) {
      assertThat(a.store().get("encoder.conv2.weight").array().toFloatArray())
          .containsExactly(b.store().get("encoder.conv2.weight").array().toFloatArray());
    }
  }
}
