package org.byov.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResNet18Test {

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private Encoder build(ImageShape shape, BayesianScope scope) {
    ParameterStore store = new ParameterStore(manager, true);
    LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.ONLINE, new Initializer(3));
    return Encoder.build(new ResNet18(), shape, scope, factory);
  }

  private NDArray images(int batch, ImageShape shape) {
    Random random = new Random(11);
    float[] values = new float[batch * shape.channels() * shape.height() * shape.width()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, new Shape(batch, shape.channels(), shape.height(),
        shape.width()));
  }

  private static List<String> names(Encoder encoder) {
    return encoder.bayesianLayers().stream().map(BayesianLayer::name).toList();
  }

  @Test
  void embeddingShapeForCifarImages() {
    ImageShape shape = new ImageShape(3, 32, 32);
    Encoder encoder = build(shape, BayesianScope.lastK(1));

    NDArray embeddings = encoder.forward(images(2, shape), ForwardPass.trainingSample(1, 0));

    assertThat(embeddings.getShape()).isEqualTo(new Shape(2, 512));
  }

  @Test
  void embeddingShapeForGrayscaleImages() {
    ImageShape shape = new ImageShape(1, 28, 28);
    Encoder encoder = build(shape, BayesianScope.none());

    NDArray embeddings = encoder.forward(images(2, shape), ForwardPass.inferenceMean());

    assertThat(embeddings.getShape()).isEqualTo(new Shape(2, 512));
  }

  @Test
  void trunkStopsBeforeBayesianBlock() {
    ImageShape shape = new ImageShape(3, 32, 32);
    Encoder encoder = build(shape, BayesianScope.lastK(2));

    NDArray features = encoder.trunk(images(2, shape), ForwardPass.inferenceMean());
    NDArray samples = encoder.tail(features, ForwardPass.inferenceSampled(3, 5));

    // The trunk ends after layer4.block1, whose output is 512 channels of 4x4 for 32x32 inputs.
    // The tail repeats it for 3 weight samples, sample-major.
    assertThat(features.getShape()).isEqualTo(new Shape(2, 512, 4, 4));
    assertThat(samples.getShape()).isEqualTo(new Shape(6, 512));
    NDArray first = samples.get("0:2");
    NDArray second = samples.get("2:4");
    assertThat(first.sub(second).abs().sum().getFloat()).isGreaterThan(0f);
  }

  @Test
  void registeredUnderSpecName() {
    assertThat(Backbones.byName("resnet18")).isInstanceOf(ResNet18.class);
  }

  @Test
  void lastOneScopeIsEmbeddingLayer() {
    Encoder encoder = build(new ImageShape(3, 32, 32), BayesianScope.lastK(1));

    assertThat(names(encoder)).containsExactly("encoder.embedding");
  }

  @Test
  void lastTwoScopeAddsLastBlock() {
    Encoder encoder = build(new ImageShape(3, 32, 32), BayesianScope.lastK(2));

    assertThat(names(encoder)).containsExactly(
        "encoder.layer4.block2.conv1", "encoder.layer4.block2.conv2", "encoder.embedding");
  }

  @Test
  void lastThreeScopeIncludesShortcut() {
    Encoder encoder = build(new ImageShape(3, 32, 32), BayesianScope.lastK(3));

    assertThat(names(encoder)).containsExactly(
        "encoder.layer4.block1.conv1", "encoder.layer4.block1.conv2",
        "encoder.layer4.block1.shortcut", "encoder.layer4.block2.conv1",
        "encoder.layer4.block2.conv2", "encoder.embedding");
  }

  @Test
  void allScopeCoversEveryWeightLayer() {
    Encoder encoder = build(new ImageShape(3, 32, 32), BayesianScope.all());

    // Stem 1 + 8 blocks x 2 convolutions + 3 shortcut convolutions + embedding 1 = 21.
    assertThat(encoder.bayesianLayers()).hasSize(21);
    // 3x3 convolutions: stem 3*64*9, layer1 4 x 64*64*9, layer2 128*64*9 + 3 x 128*128*9,
    // layer3 256*128*9 + 3 x 256*256*9, layer4 512*256*9 + 3 x 512*512*9; shortcuts
    // 128*64 + 256*128 + 512*256; embedding 512*512. Sum: 10,987,200 + 172,032 + 262,144.
    long weights = encoder.bayesianLayers().stream().mapToLong(BayesianLayer::weightCount).sum();
    assertThat(weights).isEqualTo(11_421_376L);
  }

  @Test
  void scopeBeyondTenStagesIsRejected() {
    assertThatThrownBy(() -> build(new ImageShape(3, 32, 32), BayesianScope.lastK(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 stages");
  }

  @Test
  void backwardReachesMuAndRho() {
    ImageShape shape = new ImageShape(3, 32, 32);
    Encoder encoder = build(shape, BayesianScope.lastK(2));
    NDArray input = images(4, shape);

    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray embeddings = encoder.forward(input, ForwardPass.trainingSample(1, 0));
      collector.backward(embeddings.square().sum());
    }

    assertThat(encoder.bayesianLayers()).hasSize(3);
    for (BayesianLayer layer : encoder.bayesianLayers()) {
      float meanGradient = layer.mean().array().getGradient().abs().sum().getFloat();
      float rhoGradient = layer.rho().array().getGradient().abs().sum().getFloat();
      assertThat(meanGradient).as("|d loss / d mu| of %s", layer.name()).isGreaterThan(0f);
      assertThat(rhoGradient).as("|d loss / d rho| of %s", layer.name()).isGreaterThan(0f);
    }
  }

  @Test
  void onlineByolNetworkBuilds() {
    ImageShape shape = new ImageShape(3, 32, 32);
    NetworkLayout layout = new NetworkLayout("resnet18", shape, BayesianScope.lastK(1), 0);
    ForwardPass pass = ForwardPass.trainingSample(1, 0);

    try (Network network = Network.build(manager, layout, Network.Heads.ONLINE_BYOL,
        LayerFactory.Kind.ONLINE, 1)) {
      NDArray embeddings = network.encoder().forward(images(2, shape), pass);
      NDArray projections = network.projector().forward(embeddings, pass);
      NDArray predictions = network.predictor().forward(projections, pass);

      assertThat(embeddings.getShape()).isEqualTo(new Shape(2, 512));
      assertThat(predictions.getShape()).isEqualTo(new Shape(2, Network.PROJECTION_DIM));
    }
  }
}
