package org.byov.core.train;

import org.byov.core.data.ImageSet;

/**
 * Produces the two augmented views of a batch for BYOL, already normalised with
 * {@link #normalisation()}.
 */
public interface ViewAugmenter {

  /**
   * Returns two views of the images {@code indices} of {@code set}: element 0 is view 1 and
   * element 1 is view 2, each a flat {@code [B * C * H * W]} row-major NCHW float array of
   * normalised pixels ((pixel / 255 - mean[c]) / std[c]). The same arguments always give the
   * same views.
   *
   * @param seed seed of this batch's random transformations
   */
  float[][] twoViews(ImageSet set, int[] indices, long seed);

  /** The per-channel normalisation applied to every view. */
  Normalisation normalisation();
}
