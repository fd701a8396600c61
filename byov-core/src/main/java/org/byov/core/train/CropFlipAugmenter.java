package org.byov.core.train;

import java.util.SplittableRandom;
import org.byov.core.data.ImageSet;

/**
 * A minimal, cheap augmenter: each view shifts the image by up to {@code maxShift} pixels in each
 * direction (a random crop of the zero-padded image) and flips it horizontally with probability
 * 1/2. Tests use it; training uses {@link ByolViews}.
 */
public final class CropFlipAugmenter implements ViewAugmenter {

  private final Normalisation normalisation;
  private final int maxShift;

  public CropFlipAugmenter(Normalisation normalisation, int maxShift) {
    if (maxShift < 0) {
      throw new IllegalArgumentException("maxShift must not be negative, got " + maxShift);
    }
    this.normalisation = normalisation;
    this.maxShift = maxShift;
  }

  @Override
  public float[][] twoViews(ImageSet set, int[] indices, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new float[][] {view(set, indices, random.split()), view(set, indices, random.split())};
  }

  private float[] view(ImageSet set, int[] indices, SplittableRandom random) {
    int channels = set.channels();
    int height = set.height();
    int width = set.width();
    int size = set.imageSize();
    float[] out = new float[indices.length * size];
    for (int b = 0; b < indices.length; b++) {
      int dy = random.nextInt(2 * maxShift + 1) - maxShift;
      int dx = random.nextInt(2 * maxShift + 1) - maxShift;
      boolean flip = random.nextBoolean();
      for (int c = 0; c < channels; c++) {
        float background = normalisation.normalise(0, c);
        for (int y = 0; y < height; y++) {
          int sourceY = y + dy;
          for (int x = 0; x < width; x++) {
            int sourceX = (flip ? width - 1 - x : x) + dx;
            boolean inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
            out[b * size + (c * height + y) * width + x] = inside
                ? normalisation.normalise(set.pixel(indices[b], (c * height + sourceY) * width
                    + sourceX), c)
                : background;
          }
        }
      }
    }
    return out;
  }

  @Override
  public Normalisation normalisation() {
    return normalisation;
  }
}
