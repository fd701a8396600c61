package org.byov.core.nn;

import ai.djl.ndarray.NDArray;

/** Averages tokens {@code [N, T, d]} over the token axis, giving {@code [N, d]}. */
final class TokenMeanLayer implements Layer {

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return input.mean(new int[] {1});
  }
}
