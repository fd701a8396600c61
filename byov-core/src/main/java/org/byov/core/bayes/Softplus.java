package org.byov.core.bayes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.byov.core.nn.Scalars;

/**
 * The posterior scale sigma = softplus(rho) = log(1 + exp(rho)), with a floor of {@link #SIGMA_FLOOR}.
 *
 * <p>The array version evaluates {@code max(rho, 0) + log1p(exp(-|rho|))} in float32 without
 * overflow. DJL has no log1p, and in float32 {@code 1 + exp(-20)} rounds to 1, so log1p(y) is
 * computed as {@code y - y^2 / 2} for y below 1e-4 (relative error under 4e-9) and with Goldberg's
 * correction {@code log(1 + y) * y / ((1 + y) - 1)} above. Both branches see clamped inputs, so
 * neither produces NaN or infinity in the forward or backward pass. The constants go through
 * {@link Scalars}, so the backward pass never reads a freed constant.
 */
public final class Softplus {

  /** Smallest sigma ever returned, so that log(sigma) and 1/sigma stay finite. */
  public static final double SIGMA_FLOOR = 1e-12;

  private static final float SERIES_LIMIT = 1e-4f;

  private Softplus() {}

  /** Returns softplus(rho) with the floor, for one value. */
  public static double sigma(double rho) {
    double value = Math.max(rho, 0.0) + Math.log1p(Math.exp(-Math.abs(rho)));
    return Math.max(value, SIGMA_FLOOR);
  }

  /** Returns the inverse, rho = log(exp(sigma) - 1), for a sigma above the floor. */
  public static double rho(double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("sigma must be positive, got " + sigma);
    }
    return sigma > 20 ? sigma + Math.log1p(-Math.exp(-sigma)) : Math.log(Math.expm1(sigma));
  }

  /** Returns softplus(rho) with the floor, element-wise and differentiable. */
  public static NDArray sigma(NDArray rho) {
    NDArray y = rho.abs().neg().exp();
    NDArray log1p = NDArrays.where(y.lt(SERIES_LIMIT),
        seriesLog1p(Scalars.atMost(y, SERIES_LIMIT)),
        correctedLog1p(Scalars.atLeast(y, SERIES_LIMIT)));
    return Scalars.atLeast(Scalars.atLeast(rho, 0).add(log1p), SIGMA_FLOOR);
  }

  private static NDArray seriesLog1p(NDArray y) {
    return y.sub(Scalars.times(y.square(), 0.5));
  }

  private static NDArray correctedLog1p(NDArray y) {
    NDArray u = y.add(1f);
    return u.log().mul(y).div(u.sub(1f));
  }
}
