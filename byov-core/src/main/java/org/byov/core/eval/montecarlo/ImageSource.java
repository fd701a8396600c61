package org.byov.core.eval.montecarlo;

import java.util.Objects;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.ImageShape;

/**
 * Normalised images, read a batch at a time, so that a corrupted copy of a test set can be fed to
 * the same predictor as the clean one.
 */
public interface ImageSource {

  /** Returns the number of images. */
  int count();

  /** Returns the shape of one image. */
  ImageShape shape();

  /**
   * Returns the normalised pixels of images {@code [from, to)} as one flat array in
   * {@code [B, C, H, W]} order.
   */
  float[] normalised(int from, int to);

  /**
   * Returns the images of {@code set} normalised as x = (pixel / 255 - mean[c]) / std[c].
   *
   * @param mean per-channel mean of pixel / 255, one per channel of {@code set}
   * @param std per-channel standard deviation of pixel / 255, positive
   */
  static ImageSource of(ImageSet set, double[] mean, double[] std) {
    Objects.requireNonNull(set, "set");
    if (mean.length != set.channels() || std.length != set.channels()) {
      throw new IllegalArgumentException("Normalisation of " + set.name() + " needs one mean and"
          + " one std per channel (" + set.channels() + "), got " + mean.length + " and "
          + std.length);
    }
    for (double value : std) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("Normalisation std must be positive, got " + value);
      }
    }
    double[] means = mean.clone();
    double[] stds = std.clone();
    ImageShape shape = new ImageShape(set.channels(), set.height(), set.width());
    return new ImageSource() {
      @Override
      public int count() {
        return set.count();
      }

      @Override
      public ImageShape shape() {
        return shape;
      }

      @Override
      public float[] normalised(int from, int to) {
        Objects.checkFromToIndex(from, to, set.count());
        int size = set.imageSize();
        int pixelsPerChannel = set.height() * set.width();
        float[] out = new float[(to - from) * size];
        for (int i = from; i < to; i++) {
          int base = (i - from) * size;
          for (int offset = 0; offset < size; offset++) {
            int c = offset / pixelsPerChannel;
            out[base + offset] = (float) ((set.pixel(i, offset) / 255.0 - means[c]) / stds[c]);
          }
        }
        return out;
      }
    };
  }
}
