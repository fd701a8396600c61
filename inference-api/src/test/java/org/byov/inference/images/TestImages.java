package org.byov.inference.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Encoded images for tests. */
public final class TestImages {

  private TestImages() {}

  /** Encodes an 8-bit grayscale PNG whose pixel (x, y) is {@code levels[y * width + x]}. */
  public static byte[] grayPng(int width, int height, int[] levels) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, levels[y * width + x]);
      }
    }
    return encode(image, "png");
  }

  /** Encodes an RGB image of the given format where every pixel is {@code rgb}. */
  public static byte[] solidRgb(int width, int height, int rgb, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return encode(image, format);
  }

  /**
   * Builds a PNG of a few dozen bytes whose IHDR header claims {@code width x height} 8-bit grayscale
   * pixels: the signature, an IHDR chunk, one tiny IDAT chunk and IEND, each with its CRC.
   */
  public static byte[] pngHeaderClaiming(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0)
        .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    chunk(out, "IHDR", ihdr.array());
    // A zlib stream of one empty stored block: far too short for the claimed size.
    chunk(out, "IDAT", new byte[] {0x78, 0x01, 0x01, 0x00, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00,
        0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer header = ByteBuffer.allocate(8).putInt(data.length);
    header.put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(header.array());
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(header.array(), 4, 4);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("No ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
