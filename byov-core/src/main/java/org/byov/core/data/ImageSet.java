package org.byov.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A labelled image dataset held in memory as unsigned bytes in {@code [count, channels, height,
 * width]} order (NCHW, row-major), so 60,000 Fashion-MNIST images take 47 MB.
 *
 * @param name dataset name, for example {@code fashion-mnist/train}
 * @param count number of images
 * @param channels channels per image (1 for grayscale, 3 for RGB)
 * @param height image height in pixels
 * @param width image width in pixels
 * @param pixels {@code count * channels * height * width} pixel values, 0..255 as unsigned bytes
 * @param labels one class index per image, each in {@code [0, classNames.size())}
 * @param classNames class names indexed by label
 * @param fingerprint SHA-256 (hex) of the files the set was read from, for provenance
 */
public record ImageSet(
    String name,
    int count,
    int channels,
    int height,
    int width,
    byte[] pixels,
    int[] labels,
    List<String> classNames,
    String fingerprint) {

  public ImageSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    classNames = List.copyOf(classNames);
    if (count < 0 || channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "Invalid image set shape for " + name + ": count=" + count + ", channels=" + channels
              + ", height=" + height + ", width=" + width);
    }
    long expectedPixels = (long) count * channels * height * width;
    if (pixels.length != expectedPixels) {
      throw new IllegalArgumentException(
          name + ": expected " + expectedPixels + " pixel values for " + count + " images of "
              + channels + "x" + height + "x" + width + ", got " + pixels.length);
    }
    if (labels.length != count) {
      throw new IllegalArgumentException(
          name + ": expected " + count + " labels, got " + labels.length);
    }
  }

  /** Returns the number of pixel values in one image: channels * height * width. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Returns the pixel value at a flat offset of image {@code index}, as 0..255. */
  public int pixel(int index, int offset) {
    return pixels[index * imageSize() + offset] & 0xFF;
  }

  /** Returns the number of classes, {@code classNames().size()}. */
  public int classCount() {
    return classNames.size();
  }

  /** Returns the number of images of each class, indexed by label. */
  public int[] labelCounts() {
    int[] counts = new int[classNames.size()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * Returns the images at {@code indices}, in that order, as a new set with the same name, class
   * names and fingerprint. The fingerprint still identifies the source files, so whoever records
   * it must also record how the indices were chosen (for example the seed of a
   * {@link StratifiedSplit}).
   *
   * @throws IndexOutOfBoundsException when an index is outside {@code [0, count)}
   */
  public ImageSet subset(int[] indices) {
    int size = imageSize();
    byte[] subsetPixels = new byte[Math.multiplyExact(indices.length, size)];
    int[] subsetLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = Objects.checkIndex(indices[i], count);
      System.arraycopy(pixels, index * size, subsetPixels, i * size, size);
      subsetLabels[i] = labels[index];
    }
    return new ImageSet(
        name, indices.length, channels, height, width, subsetPixels, subsetLabels, classNames,
        fingerprint);
  }
}
