package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Deterministic 2-D convolution without bias (a BatchNorm follows every convolution here), square
 * kernel, padding {@code kernel / 2}. Input {@code [N, in, H, W]}, weight {@code [out, in, k, k]}.
 */
public final class Conv2dLayer implements Layer {

  private final Parameter weight;
  private final Shape stride;
  private final Shape padding;

  Conv2dLayer(ParameterStore store, Initializer init, String name, int in, int out, int kernel,
      int stride) {
    int fanIn = in * kernel * kernel;
    this.weight = store.add(name + ".weight", ParameterRole.WEIGHT,
        new Shape(out, in, kernel, kernel), init.heNormal(out * fanIn, fanIn));
    this.stride = new Shape(stride, stride);
    this.padding = new Shape(kernel / 2, kernel / 2);
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return Conv2d.conv2d(input, weight.array(), null, stride, padding, new Shape(1, 1), 1)
        .singletonOrThrow();
  }
}
