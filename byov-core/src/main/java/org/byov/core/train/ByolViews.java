package org.byov.core.train;

import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.AugmentationConfig;
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.ssl.augment.Normalization;

/**
 * BYOL's two-view augmentation for small images ({@link ByolAugmenter}) as a training
 * {@link ViewAugmenter}, normalised with the per-channel mean and std of the whole training set.
 */
public final class ByolViews implements ViewAugmenter {

  private final ByolAugmenter augmenter;
  private final Normalisation normalisation;

  private ByolViews(ByolAugmenter augmenter, Normalisation normalisation) {
    this.augmenter = augmenter;
    this.normalisation = normalisation;
  }

  /** Returns the augmenter for {@code trainSet}, single-threaded (PyTorch uses the cores). */
  public static ByolViews forTrainingSet(ImageSet trainSet) {
    Normalization measured = Normalization.of(trainSet);
    ByolAugmenter augmenter =
        new ByolAugmenter(AugmentationConfig.byolSmallImages(), measured, false);
    return new ByolViews(augmenter,
        new Normalisation(toDoubles(measured.mean()), toDoubles(measured.std())));
  }

  @Override
  public float[][] twoViews(ImageSet set, int[] indices, long seed) {
    return augmenter.twoViews(set, indices, seed);
  }

  @Override
  public Normalisation normalisation() {
    return normalisation;
  }

  private static double[] toDoubles(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
