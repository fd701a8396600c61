package org.byov.core.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * The collapse signal of self-supervised training: the mean over dimensions of the standard
 * deviation (over the batch) of L2-normalised embeddings. Uniformly spread embeddings in D
 * dimensions give about 1/sqrt(D); embeddings collapsed to one vector give 0. The alert threshold
 * is {@code 0.1 / sqrt(D)}.
 */
public final class CollapseSignal {

  private CollapseSignal() {}

  /** Returns the mean per-dimension std (population, over rows) of row-normalised {@code [N, D]}. */
  public static double meanStd(NDArray embeddings) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray normalised = ByolLoss.l2Normalise(embeddings.stopGradient());
      NDArray centred = normalised.sub(normalised.mean(new int[] {0}, true));
      NDArray std = centred.square().mean(new int[] {0}).sqrt();
      return std.mean().getFloat();
    }
  }

  /** Returns the alert threshold 0.1 / sqrt(dim). */
  public static double threshold(int dim) {
    return 0.1 / Math.sqrt(dim);
  }

  /** Returns whether {@code meanStd} is below the alert threshold for {@code dim} dimensions. */
  public static boolean isCollapsed(double meanStd, int dim) {
    return meanStd < threshold(dim);
  }
}
