package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Runs layers one after another. */
public final class Sequential implements Layer {

  private final List<Layer> layers;

  public Sequential(List<Layer> layers) {
    this.layers = List.copyOf(layers);
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    NDArray x = input;
    for (Layer layer : layers) {
      x = layer.forward(x, pass);
    }
    return x;
  }

  public boolean isEmpty() {
    return layers.isEmpty();
  }
}
