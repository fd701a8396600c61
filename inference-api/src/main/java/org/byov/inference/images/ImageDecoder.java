package org.byov.inference.images;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.byov.inference.web.InferenceProblem;

/**
 * Decodes base64 PNG and JPEG images. The dimensions are read from the header first, and an image
 * over the pixel limit is rejected before its pixels are decoded, so a small file that claims a
 * huge size (a decompression bomb) costs nothing. At most one decode per processor runs at a time,
 * which bounds the memory of decoded images under many concurrent requests.
 */
public final class ImageDecoder {

  private static final Set<String> FORMATS = Set.of("png", "jpeg");
  private static final String DATA_URL_MARKER = ";base64,";

  private final long maxPixels;
  private final Semaphore decodePermits =
      new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

  public ImageDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /**
   * Decodes {@code base64} into values in 0..1: one channel for a grayscale image, three (sRGB)
   * otherwise; alpha is dropped.
   *
   * @param field request field for error messages, for example {@code images[2].data}
   */
  public DecodedImage decode(String base64, String field) {
    byte[] bytes = decodeBase64(base64, field);
    try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = pngOrJpegReader(stream, field);
      try {
        reader.setInput(stream, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0), field);
        BufferedImage image = decodeWithPermit(reader, field);
        return toValues(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw InferenceProblem.invalidField(field,
          "The image could not be decoded (" + e.getMessage() + "); send a valid PNG or JPEG");
    }
  }

  private static byte[] decodeBase64(String base64, String field) {
    String text = base64;
    int marker = text.indexOf(DATA_URL_MARKER);
    if (text.startsWith("data:") && marker > 0) {
      text = text.substring(marker + DATA_URL_MARKER.length());
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      // base64(1) wraps its output at 76 columns by default, a common cause of this error.
      String lineBreaks = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
          ? "; the value contains line breaks, so encode without them (base64 -w0) or remove them"
          : "";
      throw InferenceProblem.invalidField(field,
          "Invalid base64 (" + e.getMessage() + "); send standard base64 (RFC 4648) of a PNG or"
              + " JPEG file" + lineBreaks);
    }
  }

  private static ImageReader pngOrJpegReader(ImageInputStream stream, String field)
      throws IOException {
    Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
    if (readers == null || !readers.hasNext()) {
      throw InferenceProblem.invalidField(field,
          "The bytes are not a PNG or JPEG image; send a PNG or JPEG file, or raw pixels");
    }
    ImageReader reader = readers.next();
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      reader.dispose();
      throw InferenceProblem.invalidField(field,
          "Unsupported image format " + format + "; send a PNG or JPEG file");
    }
    return reader;
  }

  private void checkSize(int width, int height, String field) {
    long pixels = (long) width * height;
    if (width < 1 || height < 1) {
      throw InferenceProblem.invalidField(field, "The image header gives an invalid size "
          + width + " x " + height);
    }
    if (pixels > maxPixels) {
      throw InferenceProblem.tooLarge(field, "The image is " + width + " x " + height + " = "
          + pixels + " pixels, over the limit of " + maxPixels
          + " (byov.inference.limits.max-pixels-per-image); send a smaller image");
    }
  }

  private BufferedImage decodeWithPermit(ImageReader reader, String field) throws IOException {
    try {
      decodePermits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceProblem.unavailable("Interrupted while waiting to decode " + field, 1);
    }
    try {
      return reader.read(0);
    } finally {
      decodePermits.release();
    }
  }

  private static DecodedImage toValues(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    boolean gray = image.getColorModel().getNumColorComponents() == 1;
    if (gray) {
      Raster raster = image.getRaster();
      double scale = (1L << image.getColorModel().getComponentSize(0)) - 1;
      float[] values = new float[height * width];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          values[y * width + x] = (float) (raster.getSample(x, y, 0) / scale);
        }
      }
      return new DecodedImage(1, height, width, values);
    }
    float[] values = new float[3 * height * width];
    int plane = height * width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int offset = y * width + x;
        values[offset] = ((rgb >> 16) & 0xFF) / 255f;
        values[plane + offset] = ((rgb >> 8) & 0xFF) / 255f;
        values[2 * plane + offset] = (rgb & 0xFF) / 255f;
      }
    }
    return new DecodedImage(3, height, width, values);
  }
}
