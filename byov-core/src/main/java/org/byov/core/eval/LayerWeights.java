package org.byov.core.eval;

/**
 * Weights of one prunable layer, flattened: the posterior means and standard deviations of a
 * Bayesian layer, or only the weights of a deterministic layer.
 *
 * @param name layer name, for reports
 * @param mu posterior means (or plain weights), all finite
 * @param sigma posterior standard deviations, each > 0, or {@code null} for a deterministic layer
 */
public record LayerWeights(String name, double[] mu, double[] sigma) {

  public LayerWeights {
    if (name == null || mu == null) {
      throw new IllegalArgumentException("layer name and mu are required, got name=" + name
          + ", mu=" + (mu == null ? "null" : mu.length + " values"));
    }
    for (int i = 0; i < mu.length; i++) {
      if (!Double.isFinite(mu[i])) {
        throw new IllegalArgumentException(
            "layer " + name + ": mu[" + i + "] is " + mu[i] + "; expected a finite value");
      }
    }
    if (sigma != null) {
      if (sigma.length != mu.length) {
        throw new IllegalArgumentException("layer " + name + ": sigma has " + sigma.length
            + " values but mu has " + mu.length);
      }
      for (int i = 0; i < sigma.length; i++) {
        if (!(sigma[i] >= 0) || Double.isInfinite(sigma[i])) {
          throw new IllegalArgumentException("layer " + name + ": sigma[" + i + "] is "
              + sigma[i] + "; expected a finite value >= 0");
        }
      }
    }
  }

  /** Returns whether the layer has posterior standard deviations. */
  public boolean isBayesian() {
    return sigma != null;
  }

  /** Returns the number of weights. */
  public int size() {
    return mu.length;
  }
}
