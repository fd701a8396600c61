package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

  /**
   * Returns an inference-only layer that computes this convolution followed by {@code norm} in
   * inference mode as one convolution with bias: the weights of output channel o are scaled by
   * {@code a[o]} and the bias is {@code c} (see {@link BatchNormLayer#inferenceScaleShift()}).
   * It copies the current values into new arrays on {@code manager}, so later changes to either
   * layer's parameters do not reach it.
   */
  public Layer foldedWith(BatchNormLayer norm, NDManager manager) {
    float[][] scaleShift = norm.inferenceScaleShift();
    float[] scale = scaleShift[0];
    Shape shape = weight.array().getShape();
    float[] values = weight.array().toFloatArray();
    int perChannel = values.length / scale.length;
    for (int i = 0; i < values.length; i++) {
      values[i] *= scale[i / perChannel];
    }
    NDArray folded = manager.create(values, shape);
    NDArray bias = manager.create(scaleShift[1]);
    Shape foldedStride = stride;
    Shape foldedPadding = padding;
    return (input, pass) -> {
      if (pass.training()) {
        throw new IllegalStateException("A convolution folded with its BatchNorm cannot train");
      }
      return Conv2d.conv2d(input, folded, bias, foldedStride, foldedPadding, new Shape(1, 1), 1)
          .singletonOrThrow();
    };
  }
}
