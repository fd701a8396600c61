package org.byov.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

class VisionTransformerTest {

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
    return Encoder.build(new VisionTransformer(), shape, scope, factory);
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
  void embeddingShapeForGrayscaleImages() {
    ImageShape shape = new ImageShape(1, 28, 28);
    Encoder encoder = build(shape, BayesianScope.lastK(1));

    NDArray embeddings = encoder.forward(images(3, shape), ForwardPass.trainingSample(1, 0));

    assertThat(embeddings.getShape()).isEqualTo(new Shape(3, 256));
  }

  @Test
  void embeddingShapeForColourImagesWithSamples() {
    ImageShape shape = new ImageShape(3, 32, 32);
    Encoder encoder = build(shape, BayesianScope.lastK(2));

    NDArray embeddings = encoder.forward(images(2, shape), ForwardPass.inferenceSampled(3, 9));

    assertThat(embeddings.getShape()).isEqualTo(new Shape(6, 256));
  }

  @Test
  void trunkOutputsTokensBeforeLastBlock() {
    ImageShape shape = new ImageShape(1, 28, 28);
    Encoder encoder = build(shape, BayesianScope.lastK(2));

    NDArray features = encoder.trunk(images(2, shape), ForwardPass.inferenceMean());

    // 28 / 4 = 7 patches a side: 49 tokens of width 128.
    assertThat(features.getShape()).isEqualTo(new Shape(2, 49, 128));
  }

  @Test
  void registeredUnderSpecName() {
    assertThat(Backbones.byName("vit")).isInstanceOf(VisionTransformer.class);
  }

  @Test
  void lastOneScopeIsEmbeddingLayer() {
    Encoder encoder = build(new ImageShape(1, 28, 28), BayesianScope.lastK(1));

    assertThat(names(encoder)).containsExactly("encoder.embedding");
  }

  @Test
  void lastTwoScopeAddsLastBlock() {
    Encoder encoder = build(new ImageShape(1, 28, 28), BayesianScope.lastK(2));

    assertThat(names(encoder)).containsExactly(
        "encoder.block6.attention.qkv", "encoder.block6.attention.proj",
        "encoder.block6.mlp.fc1", "encoder.block6.mlp.fc2", "encoder.embedding");
  }

  @Test
  void allScopeCoversEveryWeightLayer() {
    Encoder encoder = build(new ImageShape(1, 28, 28), BayesianScope.all());

    // Patch projection 1 + 6 blocks x 4 + embedding 1 = 26 layers. Weights: patch 16*128,
    // per block 128*384 + 128*128 + 128*256 + 256*128, embedding 128*256.
    assertThat(encoder.bayesianLayers()).hasSize(26);
    long weights = encoder.bayesianLayers().stream().mapToLong(BayesianLayer::weightCount).sum();
    assertThat(weights).isEqualTo(2_048L + 6 * 131_072L + 32_768L);
  }

  @Test
  void scopeBeyondEightStagesIsRejected() {
    assertThatThrownBy(() -> build(new ImageShape(1, 28, 28), BayesianScope.lastK(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 stages");
  }

  @Test
  void patchSizeMustDivideImage() {
    VisionTransformer vit = new VisionTransformer(new VisionTransformer.Config(5, 128, 2, 4, 256,
        256));

    assertThatThrownBy(() -> vit.stages(new ImageShape(1, 28, 28)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("patch size 5 does not divide the image size 28x28");
  }

  @Test
  void widthMustSplitIntoHeads() {
    assertThatThrownBy(() -> new VisionTransformer.Config(4, 130, 2, 4, 256, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid ViT width 130");
  }

  @Test
  void patchifyOrdersPatchesRowMajor() {
    float[] values = new float[16];
    for (int i = 0; i < 16; i++) {
      values[i] = i;
    }
    NDArray image = manager.create(values, new Shape(1, 1, 4, 4));

    NDArray patches = new PatchifyLayer(2).forward(image, ForwardPass.inferenceMean());

    // The 4x4 image 0..15 in rows of 4: the top-left 2x2 patch is 0, 1, 4, 5, and so on.
    assertThat(patches.getShape()).isEqualTo(new Shape(1, 4, 4));
    assertThat(patches.toFloatArray()).containsExactly(
        0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15);
  }

  @Test
  void positionEmbeddingMatchesSineCosine() {
    NDArray zeros = manager.zeros(new Shape(1, 4, 8));

    float[] table = new PositionEmbeddingLayer(2, 2, 8)
        .forward(zeros, ForwardPass.inferenceMean()).toFloatArray();

    // Width 8: quarter 2, omega = 1 and 10000^(-1/2) = 0.01. Token (row 0, column 1) is index 1:
    // row half sin(0), sin(0), cos(0), cos(0); column half sin(1), sin(0.01), cos(1), cos(0.01).
    float[] token = java.util.Arrays.copyOfRange(table, 8, 16);
    assertThat(token).containsExactly(new float[] {
        0f, 0f, 1f, 1f, 0.841471f, 0.0099998f, 0.540302f, 0.99995f}, within(1e-5f));
  }

  @Test
  void backwardReachesMuAndRho() {
    ImageShape shape = new ImageShape(1, 28, 28);
    Encoder encoder = build(shape, BayesianScope.lastK(2));
    NDArray input = images(4, shape);

    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray embeddings = encoder.forward(input, ForwardPass.trainingSample(1, 0));
      collector.backward(embeddings.square().sum());
    }

    assertThat(encoder.bayesianLayers()).hasSize(5);
    for (BayesianLayer layer : encoder.bayesianLayers()) {
      float meanGradient = layer.mean().array().getGradient().abs().sum().getFloat();
      float rhoGradient = layer.rho().array().getGradient().abs().sum().getFloat();
      assertThat(meanGradient).as("|d loss / d mu| of %s", layer.name()).isGreaterThan(0f);
      assertThat(rhoGradient).as("|d loss / d rho| of %s", layer.name()).isGreaterThan(0f);
    }
  }

  @Test
  void onlineByolNetworkBuilds() {
    ImageShape shape = new ImageShape(1, 28, 28);
    NetworkLayout layout = new NetworkLayout("vit", shape, BayesianScope.lastK(1), 0);
    ForwardPass pass = ForwardPass.trainingSample(1, 0);

    try (Network network = Network.build(manager, layout, Network.Heads.ONLINE_BYOL,
        LayerFactory.Kind.ONLINE, 1)) {
      NDArray embeddings = network.encoder().forward(images(2, shape), pass);
      NDArray projections = network.projector().forward(embeddings, pass);
      NDArray predictions = network.predictor().forward(projections, pass);

      assertThat(embeddings.getShape()).isEqualTo(new Shape(2, 256));
      assertThat(predictions.getShape()).isEqualTo(new Shape(2, Network.PROJECTION_DIM));
    }
  }

  @Test
  void targetNetworkBuildsWithStoredSigma() {
    ImageShape shape = new ImageShape(1, 28, 28);
    NetworkLayout layout = new NetworkLayout("vit", shape, BayesianScope.lastK(2), 0);

    try (Network target = Network.build(manager, layout, Network.Heads.TARGET_BYOL,
        LayerFactory.Kind.FROZEN, 1)) {
      NDArray projections = target.projector().forward(
          target.encoder().forward(images(2, shape), ForwardPass.targetPass()),
          ForwardPass.targetPass());

      assertThat(projections.getShape()).isEqualTo(new Shape(2, Network.PROJECTION_DIM));
      assertThat(target.bayesianLayers()).allMatch(layer -> layer.sigma() != null);
    }
  }
}
