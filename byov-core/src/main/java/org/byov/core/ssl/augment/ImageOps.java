package org.byov.core.ssl.augment;

/**
 * Pixel operations on one image held as floats in {@code [channels, height, width]} order with
 * values in [0, 1]. Operations that change values clamp them to [0, 1], like torchvision's
 * functional transforms. Colour operations use the ITU-R BT.601 luma weights 0.299, 0.587 and
 * 0.114 for red, green and blue.
 */
public final class ImageOps {

  private static final float RED_WEIGHT = 0.299f;
  private static final float GREEN_WEIGHT = 0.587f;
  private static final float BLUE_WEIGHT = 0.114f;

  private ImageOps() {}

  /**
   * Crops the {@code cropHeight x cropWidth} window at ({@code top}, {@code left}) of
   * {@code source} and resizes it bilinearly to {@code height x width} into {@code target}.
   * Sample positions use pixel centres, {@code x_source = (x_target + 0.5) * cropWidth / width -
   * 0.5} clamped to the window, as PyTorch's {@code interpolate} with {@code align_corners=False},
   * so a window of the full image size copies it unchanged.
   */
  public static void resizedCrop(
      float[] source, int channels, int height, int width,
      int top, int left, int cropHeight, int cropWidth, float[] target) {
    int[] rowLow = new int[height];
    int[] rowHigh = new int[height];
    float[] rowFraction = new float[height];
    samplePositions(top, cropHeight, height, rowLow, rowHigh, rowFraction);
    int[] columnLow = new int[width];
    int[] columnHigh = new int[width];
    float[] columnFraction = new float[width];
    samplePositions(left, cropWidth, width, columnLow, columnHigh, columnFraction);

    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      int base = c * plane;
      for (int y = 0; y < height; y++) {
        int low = base + rowLow[y] * width;
        int high = base + rowHigh[y] * width;
        float fy = rowFraction[y];
        int out = base + y * width;
        for (int x = 0; x < width; x++) {
          int x0 = columnLow[x];
          int x1 = columnHigh[x];
          float fx = columnFraction[x];
          float upper = source[low + x0] + fx * (source[low + x1] - source[low + x0]);
          float lower = source[high + x0] + fx * (source[high + x1] - source[high + x0]);
          target[out + x] = upper + fy * (lower - upper);
        }
      }
    }
  }

  /** Computes, per output index, the two source indices and the weight of the second one. */
  private static void samplePositions(
      int start, int windowSize, int outputSize, int[] low, int[] high, float[] fraction) {
    double scale = (double) windowSize / outputSize;
    for (int i = 0; i < outputSize; i++) {
      double position = Math.max(0.0, (i + 0.5) * scale - 0.5);
      int index = Math.min((int) position, windowSize - 1);
      low[i] = start + index;
      high[i] = start + Math.min(index + 1, windowSize - 1);
      fraction[i] = (float) (position - index);
      if (index == windowSize - 1) {
        fraction[i] = 0f;
      }
    }
  }

  /** Mirrors the image left to right, in place. */
  public static void flipHorizontal(float[] image, int channels, int height, int width) {
    for (int row = 0; row < channels * height; row++) {
      int left = row * width;
      int right = left + width - 1;
      while (left < right) {
        float swap = image[left];
        image[left++] = image[right];
        image[right--] = swap;
      }
    }
  }

  /** Multiplies every value by {@code factor}, in place: torchvision's adjust_brightness. */
  public static void adjustBrightness(float[] image, float factor) {
    for (int i = 0; i < image.length; i++) {
      image[i] = clamp(image[i] * factor);
    }
  }

  /**
   * Blends the image with the mean of its grayscale version, in place:
   * {@code factor * x + (1 - factor) * mean}, torchvision's adjust_contrast.
   */
  public static void adjustContrast(float[] image, int channels, int height, int width,
      float factor) {
    int plane = height * width;
    double sum = 0;
    if (channels == 3) {
      for (int p = 0; p < plane; p++) {
        sum += luma(image, plane, p);
      }
    } else {
      for (int p = 0; p < plane; p++) {
        sum += image[p];
      }
    }
    float mean = (float) (sum / plane);

    float offset = (1 - factor) * mean;
    for (int i = 0; i < channels * plane; i++) {
      image[i] = clamp(factor * image[i] + offset);
    }
  }

  /**
   * Blends a 3-channel image with its grayscale version, in place:
   * {@code factor * x + (1 - factor) * gray}, torchvision's adjust_saturation. A 1-channel image
   * is left unchanged.
   */
  public static void adjustSaturation(float[] image, int channels, int height, int width,
      float factor) {
    if (channels != 3) {
      return;
    }
    int plane = height * width;
    for (int p = 0; p < plane; p++) {
      float gray = luma(image, plane, p);
      for (int c = 0; c < 3; c++) {
        int i = c * plane + p;
        image[i] = clamp(factor * image[i] + (1 - factor) * gray);
      }
    }
  }

  /** Replaces each channel of a 3-channel image by its luma, in place; 1 channel is unchanged. */
  public static void toGrayscale(float[] image, int channels, int height, int width) {
    if (channels != 3) {
      return;
    }
    int plane = height * width;
    for (int p = 0; p < plane; p++) {
      float gray = luma(image, plane, p);
      image[p] = gray;
      image[plane + p] = gray;
      image[2 * plane + p] = gray;
    }
  }

  /**
   * Blurs each channel with a separable Gaussian kernel of standard deviation {@code sigma}
   * pixels and {@code 2 * radius + 1} taps, normalised to sum 1. Borders are mirrored without
   * repeating the edge pixel (reflect padding), so a constant image stays constant.
   *
   * @param scratch a buffer of at least {@code height * width} floats
   */
  public static void gaussianBlur(float[] image, int channels, int height, int width,
      double sigma, int radius, float[] scratch) {
    float[] kernel = gaussianKernel(sigma, radius);
    int[] columns = reflectedIndices(width, radius);
    int[] rows = reflectedIndices(height, radius);
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      int base = c * plane;

      for (int y = 0; y < height; y++) {
        int row = base + y * width;
        for (int x = 0; x < width; x++) {
          float sum = 0;
          for (int k = 0; k < kernel.length; k++) {
            sum += kernel[k] * image[row + columns[x + k]];
          }
          scratch[y * width + x] = sum;
        }
      }

      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float sum = 0;
          for (int k = 0; k < kernel.length; k++) {
            sum += kernel[k] * scratch[rows[y + k] * width + x];
          }
          image[base + y * width + x] = sum;
        }
      }
    }
  }

  /** Returns, for padded positions -radius .. size - 1 + radius, the reflected source index. */
  private static int[] reflectedIndices(int size, int radius) {
    int[] indices = new int[size + 2 * radius];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = reflect(i - radius, size);
    }
    return indices;
  }

  /** Returns the kernel radius for {@code sigma}: ceil(3 sigma), at least 1 pixel. */
  public static int blurRadius(double sigma) {
    return Math.max(1, (int) Math.ceil(3 * sigma));
  }

  static float[] gaussianKernel(double sigma, int radius) {
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    double[] weights = new double[kernel.length];
    for (int k = -radius; k <= radius; k++) {
      weights[k + radius] = Math.exp(-(k * (double) k) / (2 * sigma * sigma));
      sum += weights[k + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) (weights[i] / sum);
    }
    return kernel;
  }

  /** Maps an index outside [0, size) back inside by mirroring at the edges (period 2(size-1)). */
  static int reflect(int index, int size) {
    if (size == 1) {
      return 0;
    }
    int period = 2 * (size - 1);
    int folded = Math.floorMod(index, period);
    return folded < size ? folded : period - folded;
  }

  /**
   * Inverts values at or above 0.5, in place: {@code x < 0.5 ? x : 1 - x}, the solarisation of
   * BYOL's augmentations on [0, 1] images.
   */
  public static void solarize(float[] image) {
    for (int i = 0; i < image.length; i++) {
      if (image[i] >= 0.5f) {
        image[i] = 1f - image[i];
      }
    }
  }

  private static float luma(float[] image, int plane, int p) {
    return RED_WEIGHT * image[p] + GREEN_WEIGHT * image[plane + p]
        + BLUE_WEIGHT * image[2 * plane + p];
  }

  private static float clamp(float value) {
    return value < 0f ? 0f : Math.min(value, 1f);
  }
}
