package org.byov.core.bayes;

import ai.djl.ndarray.NDArray;

/**
 * Closed-form KL divergence between two diagonal Gaussians, KL(N(mu, sigma^2) || N(priorMu,
 * priorSigma^2)) = log(priorSigma / sigma) + (sigma^2 + (mu - priorMu)^2) / (2 priorSigma^2) - 1/2,
 * in nats per weight. Callers sum it over weights; dividing by the number of training examples is
 * the objective's job and happens once, in the training loop.
 */
public final class GaussianKl {

  private GaussianKl() {}

  /** Returns the KL of one weight, in nats. */
  public static double perWeight(double mu, double sigma, double priorMu, double priorSigma) {
    double diff = mu - priorMu;
    return Math.log(priorSigma / sigma)
        + (sigma * sigma + diff * diff) / (2 * priorSigma * priorSigma)
        - 0.5;
  }

  /**
   * Returns the element-wise KL in nats; every argument broadcasts against {@code mu}'s shape.
   *
   * @param mu posterior means
   * @param sigma posterior scales, already floored
   * @param priorMu prior means
   * @param priorSigma prior scales, positive
   */
  public static NDArray perWeight(NDArray mu, NDArray sigma, NDArray priorMu, NDArray priorSigma) {
    NDArray priorVariance = priorSigma.square();
    NDArray squaredDistance = sigma.square().add(mu.sub(priorMu).square());
    return priorSigma.log().sub(sigma.log())
        .add(squaredDistance.div(priorVariance.mul(2.0)))
        .sub(0.5);
  }

  /** Returns the KL summed over all weights, a scalar in nats. */
  public static NDArray sum(NDArray mu, NDArray sigma, NDArray priorMu, NDArray priorSigma) {
    return perWeight(mu, sigma, priorMu, priorSigma).sum();
  }
}
