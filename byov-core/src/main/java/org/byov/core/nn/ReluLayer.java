package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Element-wise max(x, 0). */
public final class ReluLayer implements Layer {

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return Activation.relu(input);
  }
}
