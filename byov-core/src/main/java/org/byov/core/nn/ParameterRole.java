package org.byov.core.nn;

/**
 * What a stored array is, which decides whether the optimiser trains it, whether weight decay
 * applies, and how the EMA target follows it.
 */
public enum ParameterRole {
  /** Weight of a deterministic linear or convolution layer; trained and decayed. */
  WEIGHT(true, true),
  /** Posterior mean of a Bayesian layer's weights; trained and decayed like a weight. */
  POSTERIOR_MEAN(true, true),
  /** Posterior rho of a Bayesian layer (sigma = softplus(rho)); trained, never decayed. */
  POSTERIOR_RHO(true, false),
  /** Posterior sigma kept by the EMA target for the teacher-variance prior; never trained. */
  POSTERIOR_SIGMA(false, false),
  /** Bias of a linear or convolution layer; trained, never decayed. */
  BIAS(true, false),
  /** BatchNorm scale gamma; trained, never decayed. */
  NORM_SCALE(true, false),
  /** BatchNorm shift beta; trained, never decayed. */
  NORM_SHIFT(true, false),
  /** BatchNorm running mean; updated by forward passes, not by the optimiser. */
  RUNNING_MEAN(false, false),
  /** BatchNorm running variance; updated by forward passes, not by the optimiser. */
  RUNNING_VARIANCE(false, false);

  private final boolean trainable;
  private final boolean decayed;

  ParameterRole(boolean trainable, boolean decayed) {
    this.trainable = trainable;
    this.decayed = decayed;
  }

  /** Returns whether the optimiser updates arrays of this role (on the online network). */
  public boolean trainable() {
    return trainable;
  }

  /** Returns whether AdamW applies weight decay to arrays of this role. */
  public boolean decayed() {
    return decayed;
  }
}
