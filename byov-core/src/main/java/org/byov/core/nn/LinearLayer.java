package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/** Deterministic fully connected layer y = x W^T + b; W is {@code [out, in]}, x is {@code [..., in]}. */
public final class LinearLayer implements Layer {

  private final Parameter weight;
  private final Parameter bias;

  LinearLayer(ParameterStore store, Initializer init, String name, int in, int out) {
    this.weight = store.add(name + ".weight", ParameterRole.WEIGHT, new Shape(out, in),
        init.heNormal(out * in, in));
    this.bias = store.add(name + ".bias", ParameterRole.BIAS, new Shape(out),
        Initializer.constant(out, 0f));
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return Linear.linear(input, weight.array(), bias.array()).singletonOrThrow();
  }
}
