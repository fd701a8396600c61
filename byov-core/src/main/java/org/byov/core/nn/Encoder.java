package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder split into a deterministic trunk and a Bayesian tail. The trunk runs once per input;
 * the tail repeats its input S times (sample-major) and runs all S weight samples in one call.
 * With scope {@code none} the tail is empty and every pass is deterministic.
 */
public final class Encoder {

  private final Sequential trunk;
  private final Sequential tail;
  private final List<BayesianLayer> bayesianLayers;
  private final int embeddingDim;

  private Encoder(Sequential trunk, Sequential tail, List<BayesianLayer> bayesianLayers,
      int embeddingDim) {
    this.trunk = trunk;
    this.tail = tail;
    this.bayesianLayers = List.copyOf(bayesianLayers);
    this.embeddingDim = embeddingDim;
  }

  /** Builds the encoder's layers through {@code factory}, Bayesian in the stages that the scope selects. */
  public static Encoder build(Backbone backbone, ImageShape input, BayesianScope scope,
      LayerFactory factory) {
    List<Stage> stages = backbone.stages(input);
    int bayesianStages = scope.bayesianStages(stages.size());
    int firstBayesian = stages.size() - bayesianStages;
    int bayesianBefore = factory.bayesianLayers().size();

    List<Layer> trunk = new ArrayList<>();
    List<Layer> tail = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      boolean bayesian = i >= firstBayesian;
      (bayesian ? tail : trunk).addAll(stages.get(i).build(factory, bayesian));
    }

    List<BayesianLayer> created = factory.bayesianLayers();
    return new Encoder(new Sequential(trunk), new Sequential(tail),
        created.subList(bayesianBefore, created.size()), backbone.embeddingDim());
  }

  /** Runs the deterministic trunk: images {@code [B, C, H, W]} to features {@code [B, ...]}. */
  public NDArray trunk(NDArray images, ForwardPass pass) {
    return trunk.forward(images, pass);
  }

  /**
   * Runs the tail on trunk features {@code [B, ...]} and returns embeddings {@code [S * B, D]},
   * sample-major, where S is {@code pass.samples()}.
   */
  public NDArray tail(NDArray features, ForwardPass pass) {
    NDArray x = features;
    int samples = pass.samples();
    if (samples > 1) {
      Shape shape = features.getShape();
      long[] flat = shape.getShape().clone();
      flat[0] = shape.get(0) * samples;
      x = features.expandDims(0).repeat(0, samples).reshape(flat);
    }
    return tail.forward(x, pass);
  }

  /** Runs trunk and tail: images {@code [B, C, H, W]} to embeddings {@code [S * B, D]}. */
  public NDArray forward(NDArray images, ForwardPass pass) {
    return tail(trunk(images, pass), pass);
  }

  /** The Bayesian layers of the tail, in order; empty for scope {@code none}. */
  public List<BayesianLayer> bayesianLayers() {
    return bayesianLayers;
  }

  public int embeddingDim() {
    return embeddingDim;
  }
}
