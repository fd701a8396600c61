package org.byov.core.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The default encoder for small grayscale images: four 3x3 convolutions with 32, 64, 128 and 256
 * channels (strides 1, 2, 2, 2), each followed by BatchNorm and ReLU, then global average pooling
 * and a fully connected 256 -> 256 embedding layer with BatchNorm and ReLU. For 28x28 inputs the
 * feature maps are 28, 14, 7 and 4 pixels wide. Five stages: conv1 to conv4 (conv4 includes the
 * pooling) and the embedding.
 */
public final class DefaultCnn implements Backbone {

  public static final String NAME = "cnn";
  static final int[] CHANNELS = {32, 64, 128, 256};
  static final int[] STRIDES = {1, 2, 2, 2};
  static final int EMBEDDING_DIM = 256;

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
    int in = input.channels();
    for (int i = 0; i < CHANNELS.length; i++) {
      stages.add(convStage("encoder.conv" + (i + 1), in, CHANNELS[i], STRIDES[i],
          i == CHANNELS.length - 1));
      in = CHANNELS[i];
    }
    int pooledChannels = in;
    stages.add((factory, bayesian) -> List.of(
        factory.linear("encoder.embedding", pooledChannels, EMBEDDING_DIM, bayesian),
        factory.batchNorm("encoder.embedding.norm", EMBEDDING_DIM),
        factory.relu()));
    return stages;
  }

  private static Stage convStage(String name, int in, int out, int stride, boolean pool) {
    return (factory, bayesian) -> {
      List<Layer> layers = new ArrayList<>(List.of(
          factory.conv2d(name, in, out, 3, stride, bayesian),
          factory.batchNorm(name + ".norm", out),
          factory.relu()));
      if (pool) {
        layers.add(factory.globalAveragePool());
      }
      return layers;
    };
  }
}
