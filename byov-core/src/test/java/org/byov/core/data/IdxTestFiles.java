package org.byov.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX file contents for tests. */
final class IdxTestFiles {

  private IdxTestFiles() {}

  /** Returns a raw IDX images file: magic, count, rows, columns, then the pixels. */
  static byte[] images(int magic, int count, int rows, int columns, byte[] pixels) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + pixels.length);
    buffer.putInt(magic).putInt(count).putInt(rows).putInt(columns).put(pixels);
    return buffer.array();
  }

  /** Returns a raw IDX labels file. */
  static byte[] labels(int magic, byte[] labels) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
    buffer.putInt(magic).putInt(labels.length).put(labels);
    return buffer.array();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Returns {@code count} images of {@code rows x columns} whose pixel i is {@code i % 251}. */
  static byte[] patternPixels(int count, int rows, int columns) {
    byte[] pixels = new byte[count * rows * columns];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i % 251);
    }
    return pixels;
  }
}
