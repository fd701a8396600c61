package org.byov.core.ssl;

import ai.djl.ndarray.NDArray;
import org.byov.core.nn.Scalars;

/**
 * The BYOL regression loss. For one direction it is the batch mean of
 * 2 - 2 cos(prediction, target) = ||p / |p| - z / |z|||^2, which lies in [0, 4]; the symmetrised
 * loss is the sum of both directions (view 1 predicting view 2 and the reverse), in [0, 8]. The
 * target never receives gradients: its projections are detached here.
 */
public final class ByolLoss {

  private static final double NORM_FLOOR = 1e-12;

  private ByolLoss() {}

  /** Returns 2 - 2 cos per row: predictions and targets {@code [B, D]} give {@code [B]}. */
  public static NDArray perSample(NDArray prediction, NDArray target) {
    NDArray p = l2Normalise(prediction);
    NDArray z = l2Normalise(target.stopGradient());
    return Scalars.times(p.mul(z).sum(new int[] {1}), -2.0).add(2.0);
  }

  /** Returns the batch mean of {@link #perSample}, a scalar. */
  public static NDArray oneDirection(NDArray prediction, NDArray target) {
    return perSample(prediction, target).mean();
  }

  /**
   * Returns the symmetrised loss: {@code oneDirection(p1, z2) + oneDirection(p2, z1)}, where p are
   * online predictions and z target projections of views 1 and 2.
   */
  public static NDArray symmetrised(NDArray prediction1, NDArray target2, NDArray prediction2,
      NDArray target1) {
    return oneDirection(prediction1, target2).add(oneDirection(prediction2, target1));
  }

  /** Divides each row of {@code [B, D]} by its L2 norm (at least 1e-12). */
  public static NDArray l2Normalise(NDArray x) {
    NDArray norm = x.square().sum(new int[] {1}, true).sqrt();
    norm = Scalars.atLeast(norm, NORM_FLOOR);
    return x.div(norm);
  }
}
