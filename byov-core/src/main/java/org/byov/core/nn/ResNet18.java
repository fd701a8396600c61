package org.byov.core.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", 2016) in the form that
 * CIFAR implementations use for 32x32 images. A 3x3 stem convolution with 64 channels, stride 1
 * and no max-pool replaces the ImageNet model's 7x7 stride-2 stem and max-pool. Four stages of two
 * basic blocks with 64, 128, 256 and 512 channels follow. The first block of stages 2 to 4 has
 * stride 2 and a 1x1 convolution with BatchNorm on its shortcut. Global average pooling and a fully
 * connected 512 -> 512 embedding layer with BatchNorm and ReLU end the encoder.
 *
 * <p>For 32x32 inputs the feature maps are 32, 16, 8 and 4 pixels wide, and 28x28 inputs give 28,
 * 14, 7 and 4. There are ten stages for the Bayesian scope: the stem, the eight blocks (the last
 * one includes the pooling) and the embedding, so {@code last-2} makes the last block and the
 * embedding layer Bayesian.
 */
public final class ResNet18 implements Backbone {

  public static final String NAME = "resnet18";
  static final int[] CHANNELS = {64, 128, 256, 512};
  static final int BLOCKS_PER_STAGE = 2;
  static final int EMBEDDING_DIM = 512;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int embeddingDim() {
    return EMBEDDING_DIM;
  }

  @Override
  public List<Stage> stages(ImageShape input) {
    List<Stage> stages = new ArrayList<>();
    int stemChannels = CHANNELS[0];
    stages.add((factory, bayesian) -> List.of(
        factory.conv2d("encoder.stem", input.channels(), stemChannels, 3, 1, bayesian),
        factory.batchNorm("encoder.stem.norm", stemChannels),
        factory.relu()));

    int in = stemChannels;
    for (int stage = 0; stage < CHANNELS.length; stage++) {
      for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
        String name = "encoder.layer" + (stage + 1) + ".block" + (block + 1);
        int blockIn = in;
        int out = CHANNELS[stage];
        int stride = stage > 0 && block == 0 ? 2 : 1;
        boolean last = stage == CHANNELS.length - 1 && block == BLOCKS_PER_STAGE - 1;
        stages.add((factory, bayesian) -> blockLayers(factory, name, blockIn, out, stride,
            bayesian, last));
        in = out;
      }
    }

    int pooledChannels = in;
    stages.add((factory, bayesian) -> List.of(
        factory.linear("encoder.embedding", pooledChannels, EMBEDDING_DIM, bayesian),
        factory.batchNorm("encoder.embedding.norm", EMBEDDING_DIM),
        factory.relu()));
    return stages;
  }

  private static List<Layer> blockLayers(LayerFactory factory, String name, int in, int out,
      int stride, boolean bayesian, boolean pool) {
    List<Layer> layers = new ArrayList<>();
    layers.add(new ResidualBlock(factory, name, in, out, stride, bayesian));
    if (pool) {
      layers.add(factory.globalAveragePool());
    }
    return layers;
  }
}
