package org.byov.core.nn;

import org.byov.core.bayes.Posterior;

/**
 * A layer whose weights are Gaussian distributions. Its bias (if any) is a point estimate, which
 * costs nothing in the default networks because a BatchNorm follows every such layer.
 */
public interface BayesianLayer extends Layer {

  /** The layer's name, the prefix of its parameter names (for example {@code encoder.embedding}). */
  String name();

  /** The weight posterior, read from the live parameter arrays. */
  Posterior posterior();

  /** The posterior-mean parameter ({@code <name>.mu}). */
  Parameter mean();

  /** The rho parameter of an online network, or null where sigma is stored directly. */
  Parameter rho();

  /** The stored sigma parameter of a target or loaded model, or null where rho is trained. */
  Parameter sigma();

  /** The number of weights (excluding the bias). */
  long weightCount();
}
