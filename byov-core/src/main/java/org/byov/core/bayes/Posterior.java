package org.byov.core.bayes;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A factorised Gaussian posterior N(mu, sigma^2) over one weight tensor. The online network
 * parameterises sigma = softplus(rho) and trains rho; the EMA target and a loaded model keep sigma
 * itself, which lets an evaluator prune a weight to exactly mu = 0 and sigma = 0.
 */
public final class Posterior {

  private final NDArray mu;
  private final NDArray rho;
  private final NDArray sigma;

  private Posterior(NDArray mu, NDArray rho, NDArray sigma) {
    this.mu = Objects.requireNonNull(mu, "mu");
    this.rho = rho;
    this.sigma = sigma;
  }

  /** A posterior with trainable rho. */
  public static Posterior ofRho(NDArray mu, NDArray rho) {
    return new Posterior(mu, Objects.requireNonNull(rho, "rho"), null);
  }

  /** A posterior with sigma stored directly. */
  public static Posterior ofSigma(NDArray mu, NDArray sigma) {
    return new Posterior(mu, null, Objects.requireNonNull(sigma, "sigma"));
  }

  public NDArray mu() {
    return mu;
  }

  /** Returns sigma: softplus(rho) with the floor (a new, differentiable array), or the stored sigma. */
  public NDArray sigma() {
    return rho != null ? Softplus.sigma(rho) : sigma;
  }

  /**
   * Returns weight samples mu + sigma * epsilon, shape {@code [S, ...mu.shape]}.
   *
   * @param epsilon standard normal noise of shape {@code [S, ...mu.shape]}
   */
  public NDArray sample(NDArray epsilon) {
    return mu.expandDims(0).add(sigma().expandDims(0).mul(epsilon));
  }

  /** Returns the KL to the prior N(priorMu, priorSigma^2), summed over every weight, in nats. */
  public NDArray kl(NDArray priorMu, NDArray priorSigma) {
    return GaussianKl.sum(mu, sigma(), priorMu, priorSigma);
  }
}
