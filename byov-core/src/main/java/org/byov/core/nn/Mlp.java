package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The projector and predictor head of BYOL: Linear, BatchNorm, ReLU, Linear, deterministic.
 * Input {@code [N, in]}, output {@code [N, out]}.
 */
public final class Mlp implements Layer {

  private final Sequential layers;

  public Mlp(LayerFactory factory, String name, int in, int hidden, int out) {
    this.layers = new Sequential(List.of(
        factory.linear(name + ".hidden", in, hidden, false),
        factory.batchNorm(name + ".norm", hidden),
        factory.relu(),
        factory.linear(name + ".output", hidden, out, false)));
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return layers.forward(input, pass);
  }
}
