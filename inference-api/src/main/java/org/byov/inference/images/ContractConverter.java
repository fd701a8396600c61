package org.byov.inference.images;

import org.byov.inference.models.InputContract;

/**
 * Converts a decoded image to a model's input contract:
 *
 * <ol>
 *   <li>colour mode: RGB to grayscale by luminance {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601
 *       weights), grayscale to RGB by copying the channel;
 *   <li>size: bilinear resampling with pixel centres aligned ({@code align_corners = false} in
 *       PyTorch terms), when height or width differ;
 *   <li>normalisation: {@code (x - mean[c]) / std[c]}.
 * </ol>
 */
public final class ContractConverter {

  private ContractConverter() {}

  /** Returns the normalised image {@code [C * H * W]} in the contract's shape. */
  public static float[] toContract(DecodedImage image, InputContract contract) {
    DecodedImage converted = convertChannels(image, contract.channels());
    if (converted.height() != contract.height() || converted.width() != contract.width()) {
      converted = resizeBilinear(converted, contract.height(), contract.width());
    }
    return normalise(converted, contract);
  }

  static DecodedImage convertChannels(DecodedImage image, int channels) {
    if (image.channels() == channels) {
      return image;
    }
    int plane = image.height() * image.width();
    if (channels == 1) {
      float[] values = new float[plane];
      for (int i = 0; i < plane; i++) {
        values[i] = (float) (0.299 * image.values()[i] + 0.587 * image.values()[plane + i]
            + 0.114 * image.values()[2 * plane + i]);
      }
      return new DecodedImage(1, image.height(), image.width(), values);
    }
    float[] values = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(image.values(), 0, values, c * plane, plane);
    }
    return new DecodedImage(3, image.height(), image.width(), values);
  }

  /** Bilinear resampling where output pixel centre y maps to input {@code (y + 0.5) * scale - 0.5}. */
  static DecodedImage resizeBilinear(DecodedImage image, int height, int width) {
    float[] values = new float[image.channels() * height * width];
    double scaleY = (double) image.height() / height;
    double scaleX = (double) image.width() / width;
    for (int c = 0; c < image.channels(); c++) {
      for (int y = 0; y < height; y++) {
        double sourceY = clamp((y + 0.5) * scaleY - 0.5, image.height() - 1);
        int y0 = (int) Math.floor(sourceY);
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double fy = sourceY - y0;
        for (int x = 0; x < width; x++) {
          double sourceX = clamp((x + 0.5) * scaleX - 0.5, image.width() - 1);
          int x0 = (int) Math.floor(sourceX);
          int x1 = Math.min(x0 + 1, image.width() - 1);
          double fx = sourceX - x0;
          double top = image.at(c, y0, x0) * (1 - fx) + image.at(c, y0, x1) * fx;
          double bottom = image.at(c, y1, x0) * (1 - fx) + image.at(c, y1, x1) * fx;
          values[(c * height + y) * width + x] = (float) (top * (1 - fy) + bottom * fy);
        }
      }
    }
    return new DecodedImage(image.channels(), height, width, values);
  }

  private static double clamp(double value, int max) {
    return Math.max(0, Math.min(max, value));
  }

  private static float[] normalise(DecodedImage image, InputContract contract) {
    int plane = image.height() * image.width();
    float[] values = new float[image.values().length];
    for (int c = 0; c < image.channels(); c++) {
      double mean = contract.mean().get(c);
      double std = contract.std().get(c);
      for (int i = 0; i < plane; i++) {
        values[c * plane + i] = (float) ((image.values()[c * plane + i] - mean) / std);
      }
    }
    return values;
  }
}
