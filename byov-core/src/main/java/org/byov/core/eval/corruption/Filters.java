package org.byov.core.eval.corruption;

/** Deterministic spatial filters of the corruptions, on {@code [C, H, W]} row-major images. */
final class Filters {

  /** Kernel radius in standard deviations, scipy.ndimage's default {@code truncate=4.0}. */
  private static final double TRUNCATE = 4.0;

  private Filters() {}

  /**
   * Blurs each channel with a separable Gaussian of standard deviation {@code sigma} pixels,
   * radius round(4 sigma), extending edges by the nearest pixel, as scikit-image's
   * {@code gaussian} (scipy {@code gaussian_filter} with {@code mode='nearest'}) does.
   */
  static float[] gaussianBlur(float[] image, int channels, int height, int width, double sigma) {
    double[] kernel = gaussianKernel(sigma);
    int radius = kernel.length / 2;
    float[] horizontal = new float[image.length];
    float[] output = new float[image.length];
    for (int c = 0; c < channels; c++) {
      int plane = c * height * width;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double sum = 0;
          for (int k = -radius; k <= radius; k++) {
            int source = Math.min(width - 1, Math.max(0, x + k));
            sum += kernel[k + radius] * image[plane + y * width + source];
          }
          horizontal[plane + y * width + x] = (float) sum;
        }
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double sum = 0;
          for (int k = -radius; k <= radius; k++) {
            int source = Math.min(height - 1, Math.max(0, y + k));
            sum += kernel[k + radius] * horizontal[plane + source * width + x];
          }
          output[plane + y * width + x] = (float) sum;
        }
      }
    }
    return output;
  }

  static double[] gaussianKernel(double sigma) {
    int radius = (int) (TRUNCATE * sigma + 0.5);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
      sum += kernel[k + radius];
    }
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] /= sum;
    }
    return kernel;
  }

  /**
   * Downsamples each side to floor(factor * size) pixels with a box filter, then upsamples back
   * with a box filter, following Pillow's {@code resize(..., BOX)} (its {@code Resample.c}): an
   * output pixel averages the input pixels whose centres fall in its footprint.
   */
  static float[] pixelate(float[] image, int channels, int height, int width, double factor) {
    int smallHeight = Math.max(1, (int) (height * factor));
    int smallWidth = Math.max(1, (int) (width * factor));
    float[] small = resize(image, channels, height, width, smallHeight, smallWidth);
    return resize(small, channels, smallHeight, smallWidth, height, width);
  }

  private static float[] resize(
      float[] image, int channels, int height, int width, int newHeight, int newWidth) {
    double[][] columnWeights = boxWeights(width, newWidth);
    int[] columnStart = boxStarts(width, newWidth);
    double[][] rowWeights = boxWeights(height, newHeight);
    int[] rowStart = boxStarts(height, newHeight);

    float[] horizontal = new float[channels * height * newWidth];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < newWidth; x++) {
          double sum = 0;
          for (int k = 0; k < columnWeights[x].length; k++) {
            sum += columnWeights[x][k] * image[(c * height + y) * width + columnStart[x] + k];
          }
          horizontal[(c * height + y) * newWidth + x] = (float) sum;
        }
      }
    }
    float[] output = new float[channels * newHeight * newWidth];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < newHeight; y++) {
        for (int x = 0; x < newWidth; x++) {
          double sum = 0;
          for (int k = 0; k < rowWeights[y].length; k++) {
            sum += rowWeights[y][k] * horizontal[(c * height + rowStart[y] + k) * newWidth + x];
          }
          output[(c * newHeight + y) * newWidth + x] = (float) sum;
        }
      }
    }
    return output;
  }

  /** Returns the first input index of each output pixel's box. */
  private static int[] boxStarts(int size, int newSize) {
    int[] starts = new int[newSize];
    double scale = (double) size / newSize;
    double support = 0.5 * Math.max(scale, 1);
    for (int out = 0; out < newSize; out++) {
      double center = (out + 0.5) * scale;
      starts[out] = Math.max(0, (int) (center - support + 0.5));
    }
    return starts;
  }

  /**
   * Returns the normalised weights of each output pixel's box: input pixel i has weight 1 when
   * (i - center + 0.5) / filterScale lies in (-0.5, 0.5], where center = (out + 0.5) * scale.
   */
  private static double[][] boxWeights(int size, int newSize) {
    double scale = (double) size / newSize;
    double filterScale = Math.max(scale, 1);
    double support = 0.5 * filterScale;
    double[][] weights = new double[newSize][];
    for (int out = 0; out < newSize; out++) {
      double center = (out + 0.5) * scale;
      int start = Math.max(0, (int) (center - support + 0.5));
      int end = Math.min(size, (int) (center + support + 0.5));
      double[] row = new double[end - start];
      double sum = 0;
      for (int i = start; i < end; i++) {
        double t = (i - center + 0.5) / filterScale;
        row[i - start] = t > -0.5 && t <= 0.5 ? 1 : 0;
        sum += row[i - start];
      }
      for (int k = 0; k < row.length; k++) {
        row[k] /= sum;
      }
      weights[out] = row;
    }
    return weights;
  }
}
