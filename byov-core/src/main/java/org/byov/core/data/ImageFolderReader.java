package org.byov.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image-folder dataset: one sub-folder per class, whose sorted names are the class names
 * (label i is the i-th name), each containing PNG or JPEG files. Files are read in name order within a
 * class. Files without a {@code .png}, {@code .jpg} or {@code .jpeg} extension (any case) and names
 * starting with a dot are skipped, as torchvision's {@code ImageFolder} does.
 *
 * <p>All images must share one size and one channel count: 1 for grayscale, 3 for colour. An alpha
 * channel is dropped, and palette images are read as colour. Grayscale samples wider than 8 bits are
 * scaled to 0..255.
 */
public final class ImageFolderReader {

  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  private ImageFolderReader() {}

  /**
   * Reads every image under {@code directory}; the fingerprint covers the image files under their
   * {@code class/file} names.
   *
   * @throws DatasetNotFoundException when the directory does not exist
   * @throws InvalidDatasetException when it has no class folders, a class folder has no images, a
   *     file cannot be decoded, or an image differs in size or channels from the first one
   */
  public static ImageSet read(String name, Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new DatasetNotFoundException("Image folder " + directory + " not found");
    }
    List<Path> classFolders = listSorted(directory, Files::isDirectory);
    if (classFolders.isEmpty()) {
      throw new InvalidDatasetException(
          "Image folder " + directory + " has no class sub-folders. Expected one sub-folder per"
              + " class, containing that class's PNG or JPEG files");
    }

    List<String> classNames = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    for (Path folder : classFolders) {
      List<Path> images = listSorted(folder, ImageFolderReader::isImageFile);
      if (images.isEmpty()) {
        throw new InvalidDatasetException(
            "Class folder " + folder + " has no PNG or JPEG files. Remove it or add images");
      }
      for (Path image : images) {
        files.add(image);
        fileLabels.add(classNames.size());
      }
      classNames.add(folder.getFileName().toString());
    }

    return decodeAll(name, directory, classNames, files, fileLabels);
  }

  private static ImageSet decodeAll(
      String name, Path directory, List<String> classNames, List<Path> files, List<Integer> labels)
      throws IOException {
    DatasetFingerprint fingerprint = new DatasetFingerprint();
    byte[] pixels = null;
    int channels = 0;
    int height = 0;
    int width = 0;
    String firstFile = null;

    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String relative = directory.relativize(file).toString().replace('\\', '/');
      byte[] content = Files.readAllBytes(file);
      fingerprint.add(relative, content);
      BufferedImage image = decode(file, content);
      int imageChannels = image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;

      if (pixels == null) {
        channels = imageChannels;
        height = image.getHeight();
        width = image.getWidth();
        firstFile = relative;
        pixels = new byte[Math.multiplyExact(files.size(), channels * height * width)];
      } else if (imageChannels != channels || image.getHeight() != height
          || image.getWidth() != width) {
        throw new InvalidDatasetException(
            "Image folder " + directory + ": " + relative + " is " + describe(
                image.getWidth(), image.getHeight(), imageChannels) + ", but the first image, "
                + firstFile + ", is " + describe(width, height, channels)
                + ". All images must share one size and channel count");
      }
      copyPixels(image, channels, pixels, i * channels * height * width);
    }

    int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
    return new ImageSet(
        name, files.size(), channels, height, width, pixels, labelArray, classNames,
        fingerprint.hex());
  }

  private static BufferedImage decode(Path file, byte[] content) throws IOException {
    BufferedImage image;
    try {
      // ImageIO.read closes the stream it is given.
      image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(content)));
    } catch (IOException | RuntimeException e) {
      throw new InvalidDatasetException(file + ": cannot decode the image: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidDatasetException(
          file + ": not a readable PNG or JPEG image (no decoder accepted its content)");
    }
    return image;
  }

  /** Copies one image into {@code [channels, height, width]} bytes at {@code offset}. */
  private static void copyPixels(BufferedImage image, int channels, byte[] pixels, int offset) {
    int width = image.getWidth();
    int height = image.getHeight();
    int plane = width * height;
    if (channels == 1) {
      Raster raster = image.getRaster();
      ColorModel model = image.getColorModel();
      int maxSample = (1 << model.getComponentSize(0)) - 1;
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, row);
        for (int x = 0; x < width; x++) {
          int value = maxSample == 255 ? row[x] : Math.round(row[x] * 255f / maxSample);
          pixels[offset + y * width + x] = (byte) value;
        }
      }
      return;
    }
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    for (int p = 0; p < plane; p++) {
      pixels[offset + p] = (byte) (argb[p] >> 16);
      pixels[offset + plane + p] = (byte) (argb[p] >> 8);
      pixels[offset + 2 * plane + p] = (byte) argb[p];
    }
  }

  private static String describe(int width, int height, int channels) {
    return width + "x" + height + " with " + channels + (channels == 1 ? " channel" : " channels");
  }

  private static boolean isImageFile(Path path) {
    String fileName = path.getFileName().toString();
    String lower = fileName.toLowerCase(Locale.ROOT);
    return Files.isRegularFile(path) && EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  private static List<Path> listSorted(Path directory, java.util.function.Predicate<Path> filter)
      throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(path -> !path.getFileName().toString().startsWith("."))
          .filter(filter)
          .sorted()
          .toList();
    }
  }
}
