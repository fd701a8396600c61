package org.byov.core.ssl.augment;

import org.byov.core.data.ImageSet;

/**
 * Produces the two augmented views of a batch that BYOL compares. Implementations are
 * deterministic: the same set, indices and seed always give the same views.
 */
public interface ViewAugmenter {

  /**
   * Augments the images at {@code indices} twice, once per view.
   *
   * @param seed the batch's seed; derive it per training step with {@link #stepSeed}
   * @return two arrays, view 1 and view 2, each of {@code indices.length * channels * height *
   *     width} normalised values in {@code [batch, channels, height, width]} (NCHW) order, ready
   *     for {@code NDManager.create(float[], Shape)}
   */
  float[][] twoViews(ImageSet set, int[] indices, long seed);

  /**
   * Returns the per-channel normalisation applied to every view. Evaluation and inference must
   * apply the same one, so a model must record it in its input contract.
   */
  Normalization normalization();

  /** Returns the seed of one training step, mixed from the run's seed and the step number. */
  static long stepSeed(long runSeed, long step) {
    return SplitMix64.mix(runSeed ^ SplitMix64.mix(step + 0x632BE59BD9B4E019L));
  }
}
