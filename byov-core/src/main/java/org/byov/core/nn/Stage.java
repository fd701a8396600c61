package org.byov.core.nn;

import java.util.List;

/**
 * One unit of an encoder that a Bayesian scope can make Bayesian as a whole, for example a
 * convolution with its BatchNorm and ReLU, a residual block, or a transformer block.
 */
public interface Stage {

  /** Builds the stage's layers; every weight layer inside is Bayesian if {@code bayesian}. */
  List<Layer> build(LayerFactory factory, boolean bayesian);
}
