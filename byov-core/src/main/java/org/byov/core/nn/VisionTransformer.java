package org.byov.core.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A small Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021) for
 * 28x28 and 32x32 images. Non-overlapping p x p patches are flattened and projected to width d by
 * a fully connected layer, a fixed 2-D sine-cosine position embedding is added, and pre-norm
 * transformer blocks follow: {@code x + attention(layerNorm(x))}, then {@code x + mlp(layerNorm(x))}
 * with a GELU MLP. A final LayerNorm and the mean over the tokens (no class token) give a d-wide
 * vector, and a fully connected d -> D embedding layer with BatchNorm and ReLU ends the encoder,
 * as in the other backbones.
 *
 * <p>The defaults (patch 4, width 128, depth 6, 4 heads of 32, MLP width 256, embedding 256) keep
 * the model at about 0.8 million weights, so that it trains on a CPU. The stages for the Bayesian
 * scope are the patch embedding, each block (the last one includes the final LayerNorm and the
 * pooling) and the embedding layer, so {@code last-2} makes the last block's four weight layers
 * and the embedding layer Bayesian.
 */
public final class VisionTransformer implements Backbone {

  public static final String NAME = "vit";

  /**
   * The architecture's sizes.
   *
   * @param patchSize side p of the square patches in pixels; must divide the image height and width
   * @param width token width d; a multiple of 4 (for the position embedding) and of {@code heads}
   * @param depth number of transformer blocks
   * @param heads number of attention heads
   * @param mlpWidth hidden width of each block's MLP
   * @param embeddingDim output dimension D of the embedding layer
   */
  public record Config(int patchSize, int width, int depth, int heads, int mlpWidth,
      int embeddingDim) {

    public Config {
      if (patchSize < 1 || depth < 1 || heads < 1 || mlpWidth < 1 || embeddingDim < 1) {
        throw new IllegalArgumentException("Invalid ViT configuration " + this
            + ". Every size must be at least 1");
      }
      if (width % 4 != 0 || width % heads != 0) {
        throw new IllegalArgumentException("Invalid ViT width " + width + ". It must be a multiple"
            + " of 4 and of the " + heads + " heads");
      }
    }

    /** Returns the default small configuration. */
    public static Config small() {
      return new Config(4, 128, 6, 4, 256, 256);
    }
  }

  private final Config config;

  /** Creates the default small ViT. */
  public VisionTransformer() {
    this(Config.small());
  }

  public VisionTransformer(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int embeddingDim() {
    return config.embeddingDim();
  }

  /** Returns the architecture's sizes. */
  public Config config() {
    return config;
  }

  @Override
  public List<Stage> stages(ImageShape input) {
    int patch = config.patchSize();
    if (input.height() % patch != 0 || input.width() % patch != 0) {
      throw new IllegalArgumentException("ViT patch size " + patch + " does not divide the image"
          + " size " + input.height() + "x" + input.width() + ". Choose a patch size that divides"
          + " both sides");
    }
    int rows = input.height() / patch;
    int columns = input.width() / patch;
    int width = config.width();

    List<Stage> stages = new ArrayList<>();
    stages.add((factory, bayesian) -> List.of(
        new PatchifyLayer(patch),
        factory.linear("encoder.patch", input.channels() * patch * patch, width, bayesian),
        new PositionEmbeddingLayer(rows, columns, width)));

    for (int block = 0; block < config.depth(); block++) {
      String name = "encoder.block" + (block + 1);
      boolean last = block == config.depth() - 1;
      stages.add((factory, bayesian) -> {
        List<Layer> layers = new ArrayList<>();
        layers.add(new TransformerBlock(factory, name, width, config.heads(), config.mlpWidth(),
            bayesian));
        if (last) {
          layers.add(new LayerNormLayer(factory.store(), "encoder.norm", width));
          layers.add(new TokenMeanLayer());
        }
        return layers;
      });
    }

    stages.add((factory, bayesian) -> List.of(
        factory.linear("encoder.embedding", width, config.embeddingDim(), bayesian),
        factory.batchNorm("encoder.embedding.norm", config.embeddingDim()),
        factory.relu()));
    return stages;
  }
}
