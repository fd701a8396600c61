package org.byov.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * One step of a network. Inputs and outputs keep the sample-major layout {@code [S * batch, ...]}
 * described in {@link ForwardPass}; layers outside a Bayesian tail always see S = 1.
 */
public interface Layer {

  NDArray forward(NDArray input, ForwardPass pass);
}
