package org.byov.trainer.training;

import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.ssl.augment.ViewAugmenter;

/**
 * Builds the view augmenter of a run: BYOL's two-view pipeline for small images, normalised with
 * the per-channel mean and std of the whole training set. Every attempt of a run therefore uses
 * the same normalisation, which is part of the model's input contract.
 */
public final class Augmenters {

  private Augmenters() {}

  /** Returns the BYOL augmenter for {@code trainSet}, single-threaded (PyTorch owns the cores). */
  public static ViewAugmenter byolFor(ImageSet trainSet) {
    return ByolAugmenter.forTrainingSet(trainSet);
  }
}
