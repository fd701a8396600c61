package org.byov.core.ssl.augment;

import java.util.Objects;
import java.util.SplittableRandom;
import org.byov.core.data.ImageSet;

/**
 * A cheap augmenter for tests: each view shifts the image by up to {@code maxShift} pixels in each
 * direction (a random crop of the zero-padded image) and flips it horizontally with probability
 * 1/2. Training uses {@link ByolAugmenter}.
 */
public final class CropFlipAugmenter implements ViewAugmenter {

  private final Normalization normalization;
  private final int maxShift;

  public CropFlipAugmenter(Normalization normalization, int maxShift) {
    if (maxShift < 0) {
      throw new IllegalArgumentException("maxShift must not be negative, got " + maxShift);
    }
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    this.maxShift = maxShift;
  }

  @Override
  public float[][] twoViews(ImageSet set, int[] indices, long seed) {
    normalization.requireChannels(set);
    SplittableRandom random = new SplittableRandom(seed);
    return new float[][] {view(set, indices, random.split()), view(set, indices, random.split())};
  }

  private float[] view(ImageSet set, int[] indices, SplittableRandom random) {
    int channels = set.channels();
    int height = set.height();
    int width = set.width();
    int size = set.imageSize();
    float[] mean = normalization.mean();
    float[] std = normalization.std();
    float[] out = new float[indices.length * size];
    for (int b = 0; b < indices.length; b++) {
      int dy = random.nextInt(2 * maxShift + 1) - maxShift;
      int dx = random.nextInt(2 * maxShift + 1) - maxShift;
      boolean flip = random.nextBoolean();
      for (int c = 0; c < channels; c++) {
        float background = -mean[c] / std[c];
        for (int y = 0; y < height; y++) {
          int sourceY = y + dy;
          for (int x = 0; x < width; x++) {
            int sourceX = (flip ? width - 1 - x : x) + dx;
            boolean inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
            float value = background;
            if (inside) {
              int pixel = set.pixel(indices[b], (c * height + sourceY) * width + sourceX);
              value = (pixel / 255f - mean[c]) / std[c];
            }
            out[b * size + (c * height + y) * width + x] = value;
          }
        }
      }
    }
    return out;
  }

  @Override
  public Normalization normalization() {
    return normalization;
  }
}
