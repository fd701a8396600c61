package org.byov.core.ssl.augment;

import java.util.Objects;
import java.util.stream.IntStream;
import org.byov.core.data.ImageSet;

/**
 * BYOL's two-view augmentation on uint8 image sets, in pure Java.
 *
 * <p>Each image of each view draws its random numbers from its own SplitMix64 generator, seeded
 * from (batch seed, position in the batch, view). The result therefore depends only on the set,
 * the indices and the seed, whether the batch is processed on one thread or several.
 *
 * <p>Per image and view: convert to [0, 1], random resized crop back to the input size (bilinear),
 * flip, colour jitter (brightness, then contrast, then saturation; torchvision draws a random
 * order, this class uses a fixed one), grayscale, Gaussian blur, solarisation, then normalisation.
 */
public final class ByolAugmenter implements ViewAugmenter {

  private static final int CROP_ATTEMPTS = 10;

  private final AugmentationConfig config;
  private final Normalization normalization;
  private final boolean parallel;

  /**
   * Creates an augmenter.
   *
   * @param parallel whether to spread the images of a batch over the common fork-join pool; the
   *     output is the same either way
   */
  public ByolAugmenter(AugmentationConfig config, Normalization normalization, boolean parallel) {
    this.config = Objects.requireNonNull(config, "config");
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    this.parallel = parallel;
  }

  /**
   * Returns BYOL's augmenter for small images, normalised with the per-channel mean and std of the
   * whole of {@code trainSet}, single-threaded so that PyTorch keeps the cores.
   */
  public static ByolAugmenter forTrainingSet(ImageSet trainSet) {
    return new ByolAugmenter(
        AugmentationConfig.byolSmallImages(), Normalization.of(trainSet), false);
  }

  /** Returns the view configurations. */
  public AugmentationConfig config() {
    return config;
  }

  @Override
  public Normalization normalization() {
    return normalization;
  }

  @Override
  public float[][] twoViews(ImageSet set, int[] indices, long seed) {
    normalization.requireChannels(set);
    for (int b = 0; b < indices.length; b++) {
      Objects.checkIndex(indices[b], set.count());
    }

    int size = set.imageSize();
    float[][] views = {
      new float[Math.multiplyExact(indices.length, size)],
      new float[Math.multiplyExact(indices.length, size)]
    };
    IntStream positions = IntStream.range(0, indices.length);
    if (parallel) {
      positions = positions.parallel();
    }
    positions.forEach(
        b -> {
          Workspace workspace = new Workspace(size, set.height() * set.width());
          augment(set, indices[b], config.first(), imageSeed(seed, b, 0), workspace, views[0], b);
          augment(set, indices[b], config.second(), imageSeed(seed, b, 1), workspace, views[1], b);
        });
    return views;
  }

  /** Buffers for one image: the decoded source, the transformed image and a blur plane. */
  private record Workspace(float[] source, float[] image, float[] plane) {
    Workspace(int imageSize, int planeSize) {
      this(new float[imageSize], new float[imageSize], new float[planeSize]);
    }
  }

  static long imageSeed(long batchSeed, int position, int view) {
    return SplitMix64.mix(batchSeed + 0x9E3779B97F4A7C15L * (2L * position + view + 1));
  }

  private void augment(
      ImageSet set, int index, ViewConfig view, long seed, Workspace workspace, float[] out,
      int position) {
    SplitMix64 random = new SplitMix64(seed);
    int channels = set.channels();
    int height = set.height();
    int width = set.width();
    float[] image = workspace.image();

    loadImage(set, index, workspace.source());
    CropWindow crop = sampleCrop(random, height, width, view);
    ImageOps.resizedCrop(
        workspace.source(), channels, height, width, crop.top(), crop.left(), crop.height(),
        crop.width(), image);

    if (random.bernoulli(view.flipProbability())) {
      ImageOps.flipHorizontal(image, channels, height, width);
    }
    if (random.bernoulli(view.colorJitterProbability())) {
      jitterColor(random, view, image, channels, height, width);
    }
    if (random.bernoulli(view.grayscaleProbability())) {
      ImageOps.toGrayscale(image, channels, height, width);
    }
    if (random.bernoulli(view.blurProbability())) {
      double sigma = random.uniform(view.blurSigmaMin(), view.blurSigmaMax());
      ImageOps.gaussianBlur(
          image, channels, height, width, sigma, ImageOps.blurRadius(sigma), workspace.plane());
    }
    if (random.bernoulli(view.solarizeProbability())) {
      ImageOps.solarize(image);
    }

    normalization.applyInPlace(image, height * width, out, position * image.length);
  }

  private static void jitterColor(
      SplitMix64 random, ViewConfig view, float[] image, int channels, int height, int width) {
    float brightness = (float) jitterFactor(random, view.brightness());
    float contrast = (float) jitterFactor(random, view.contrast());
    float saturation = (float) jitterFactor(random, view.saturation());
    ImageOps.adjustBrightness(image, brightness);
    ImageOps.adjustContrast(image, channels, height, width, contrast);
    ImageOps.adjustSaturation(image, channels, height, width, saturation);
  }

  private static double jitterFactor(SplitMix64 random, double strength) {
    return random.uniform(Math.max(0, 1 - strength), 1 + strength);
  }

  /** A crop window in pixels of the source image. */
  record CropWindow(int top, int left, int height, int width) {}

  /**
   * Samples a crop window as torchvision's RandomResizedCrop does: up to 10 tries of an area
   * fraction uniform in the scale range and an aspect ratio log-uniform in the ratio range, the
   * first window that fits wins, placed uniformly. When none fits, a centre crop of the whole
   * image with its aspect ratio clamped to the ratio range is used.
   */
  static CropWindow sampleCrop(SplitMix64 random, int height, int width, ViewConfig view) {
    double area = (double) height * width;
    double logRatioMin = Math.log(view.cropRatioMin());
    double logRatioMax = Math.log(view.cropRatioMax());
    for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
      double targetArea = area * random.uniform(view.cropScaleMin(), view.cropScaleMax());
      double ratio = Math.exp(random.uniform(logRatioMin, logRatioMax));
      int cropWidth = (int) Math.round(Math.sqrt(targetArea * ratio));
      int cropHeight = (int) Math.round(Math.sqrt(targetArea / ratio));
      if (cropWidth > 0 && cropWidth <= width && cropHeight > 0 && cropHeight <= height) {
        int top = random.nextInt(height - cropHeight + 1);
        int left = random.nextInt(width - cropWidth + 1);
        return new CropWindow(top, left, cropHeight, cropWidth);
      }
    }

    double imageRatio = (double) width / height;
    int cropWidth = width;
    int cropHeight = height;
    if (imageRatio < view.cropRatioMin()) {
      cropHeight = (int) Math.round(width / view.cropRatioMin());
    } else if (imageRatio > view.cropRatioMax()) {
      cropWidth = (int) Math.round(height * view.cropRatioMax());
    }
    return new CropWindow((height - cropHeight) / 2, (width - cropWidth) / 2, cropHeight, cropWidth);
  }

  /** Converts image {@code index} of {@code set} to floats in [0, 1], CHW order. */
  static void loadImage(ImageSet set, int index, float[] target) {
    byte[] pixels = set.pixels();
    int size = set.imageSize();
    int offset = index * size;
    for (int i = 0; i < size; i++) {
      target[i] = (pixels[offset + i] & 0xFF) * (1f / 255f);
    }
  }
}
