package org.byov.core.nn;

import ai.djl.ndarray.NDArray;

/** Averages {@code [N, C, H, W]} over height and width, giving {@code [N, C]}. */
public final class GlobalAveragePoolLayer implements Layer {

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return input.reshape(input.getShape().get(0), input.getShape().get(1), -1).mean(new int[] {2});
  }
}
