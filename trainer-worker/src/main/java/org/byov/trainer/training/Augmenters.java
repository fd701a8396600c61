package org.byov.trainer.training;

import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.AugmentationConfig;
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.train.Normalisation;
import org.byov.core.train.ViewAugmenter;

/**
 * Builds the view augmenter of a run: BYOL's two-view pipeline for small images, normalised with
 * the per-channel mean and std of the whole training set. Every attempt of a run therefore uses
 * the same normalisation, which is part of the model's input contract.
 */
public final class Augmenters {

  private Augmenters() {}

  /** Returns the BYOL augmenter for {@code trainSet}, single-threaded (PyTorch owns the cores). */
  public static ViewAugmenter byolFor(ImageSet trainSet) {
    Normalization measured = Normalization.of(trainSet);
    ByolAugmenter augmenter =
        new ByolAugmenter(AugmentationConfig.byolSmallImages(), measured, false);
    Normalisation normalisation =
        new Normalisation(toDoubles(measured.mean()), toDoubles(measured.std()));
    return new ViewAugmenter() {
      @Override
      public float[][] twoViews(ImageSet set, int[] indices, long seed) {
        return augmenter.twoViews(set, indices, seed);
      }

      @Override
      public Normalisation normalisation() {
        return normalisation;
      }
    };
  }

  private static double[] toDoubles(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
