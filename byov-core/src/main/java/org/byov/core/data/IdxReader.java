package org.byov.core.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of the MNIST family: an images file (magic {@code 0x00000803}: unsigned
 * bytes in 3 dimensions, count x rows x columns) and a labels file (magic {@code 0x00000801}:
 * unsigned bytes in 1 dimension). Header integers are big-endian. Each file may be raw or gzip
 * compressed, which is detected from the gzip magic bytes {@code 1f 8b}, not from the file name.
 *
 * <p>Every check failure throws {@link InvalidDatasetException} with the file and the expected
 * and found values: a wrong magic number, a file shorter or longer than its header declares, a
 * truncated gzip stream, a zero dimension, or image and label counts that differ.
 */
public final class IdxReader {

  /** Magic number of an IDX images file: unsigned bytes, 3 dimensions. */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX labels file: unsigned bytes, 1 dimension. */
  public static final int LABELS_MAGIC = 0x00000801;

  private static final int IMAGES_HEADER_BYTES = 16;
  private static final int LABELS_HEADER_BYTES = 8;
  private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The content of an IDX images file.
   *
   * @param count number of images
   * @param rows image height in pixels
   * @param columns image width in pixels
   * @param pixels {@code count * rows * columns} unsigned bytes, image by image, row-major
   */
  public record IdxImages(int count, int rows, int columns, byte[] pixels) {}

  private IdxReader() {}

  /**
   * Reads an images file and its labels file into one grayscale {@link ImageSet}, fingerprinted
   * over both files.
   *
   * @param name the set's name, for example {@code fashion-mnist/train}
   * @param classNames class names indexed by label; {@code null} names the classes by their label
   *     digits {@code "0", "1", ...} up to the largest label found
   */
  public static ImageSet read(String name, Path imagesFile, Path labelsFile, List<String> classNames)
      throws IOException {
    byte[] imagesContent = Files.readAllBytes(imagesFile);
    byte[] labelsContent = Files.readAllBytes(labelsFile);
    IdxImages images = readImages(imagesFile.toString(), imagesContent);
    int[] labels = readLabels(labelsFile.toString(), labelsContent);

    if (images.count() != labels.length) {
      throw new InvalidDatasetException(
          "IDX files disagree: " + imagesFile + " contains " + images.count() + " images but "
              + labelsFile + " contains " + labels.length + " labels. Expected the same count");
    }
    List<String> names = classNames != null ? classNames : digitNames(labels);
    checkLabels(labelsFile.toString(), labels, names.size());

    String fingerprint =
        new DatasetFingerprint()
            .add(imagesFile.getFileName().toString(), imagesContent)
            .add(labelsFile.getFileName().toString(), labelsContent)
            .hex();
    return new ImageSet(
        name, images.count(), 1, images.rows(), images.columns(), images.pixels(), labels, names,
        fingerprint);
  }

  /** Parses the content of an IDX images file; {@code file} names it in error messages. */
  public static IdxImages readImages(String file, byte[] content) throws InvalidDatasetException {
    Decoded decoded = decode(file, content);
    byte[] bytes = decoded.bytes();
    checkHeader(file, decoded, IMAGES_MAGIC, IMAGES_HEADER_BYTES, "images");

    ByteBuffer header = ByteBuffer.wrap(bytes, 0, IMAGES_HEADER_BYTES);
    header.getInt();
    long count = Integer.toUnsignedLong(header.getInt());
    long rows = Integer.toUnsignedLong(header.getInt());
    long columns = Integer.toUnsignedLong(header.getInt());
    if (rows == 0 || columns == 0) {
      throw new InvalidDatasetException(
          file + ": invalid image size " + rows + "x" + columns + " in the IDX header. Expected"
              + " at least 1x1");
    }
    long payload = count * rows * columns;
    if (payload > MAX_ARRAY_BYTES) {
      throw new InvalidDatasetException(
          file + ": the IDX header declares " + count + " images of " + rows + "x" + columns
              + " = " + payload + " bytes, more than one array can hold (" + MAX_ARRAY_BYTES + ")");
    }
    String declared = count + " images of " + rows + "x" + columns;
    checkLength(file, decoded, IMAGES_HEADER_BYTES, payload, declared);

    byte[] pixels = Arrays.copyOfRange(bytes, IMAGES_HEADER_BYTES, IMAGES_HEADER_BYTES + (int) payload);
    return new IdxImages((int) count, (int) rows, (int) columns, pixels);
  }

  /** Parses the content of an IDX labels file into labels 0..255. */
  public static int[] readLabels(String file, byte[] content) throws InvalidDatasetException {
    Decoded decoded = decode(file, content);
    checkHeader(file, decoded, LABELS_MAGIC, LABELS_HEADER_BYTES, "labels");

    long count = Integer.toUnsignedLong(ByteBuffer.wrap(decoded.bytes(), 4, 4).getInt());
    if (count > MAX_ARRAY_BYTES) {
      throw new InvalidDatasetException(
          file + ": the IDX header declares " + count + " labels, more than one array can hold");
    }
    checkLength(file, decoded, LABELS_HEADER_BYTES, count, count + " labels");

    byte[] bytes = decoded.bytes();
    int[] labels = new int[(int) count];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = bytes[LABELS_HEADER_BYTES + i] & 0xFF;
    }
    return labels;
  }

  private static void checkHeader(
      String file, Decoded decoded, int expectedMagic, int headerBytes, String kind)
      throws InvalidDatasetException {
    byte[] bytes = decoded.bytes();
    if (decoded.length() < 4) {
      throw new InvalidDatasetException(
          file + ": truncated: expected a " + headerBytes + "-byte IDX " + kind + " header, found "
              + decoded.length() + " bytes" + decoded.truncationNote());
    }
    int magic = ByteBuffer.wrap(bytes, 0, 4).getInt();
    if (magic != expectedMagic) {
      throw new InvalidDatasetException(
          String.format(
              "%s: wrong magic number 0x%08x, expected 0x%08x (IDX %s: unsigned bytes, %d"
                  + " dimension%s)%s",
              file, magic, expectedMagic, kind, expectedMagic & 0xFF,
              (expectedMagic & 0xFF) == 1 ? "" : "s", magicHint(magic)));
    }
    if (decoded.length() < headerBytes) {
      throw new InvalidDatasetException(
          file + ": truncated: expected a " + headerBytes + "-byte IDX " + kind + " header, found "
              + decoded.length() + " bytes" + decoded.truncationNote());
    }
  }

  private static String magicHint(int magic) {
    if (magic == LABELS_MAGIC) {
      return ". This is an IDX labels file";
    }
    if (magic == IMAGES_MAGIC) {
      return ". This is an IDX images file";
    }
    if ((magic >>> 16) != 0) {
      return ". This is not an IDX file";
    }
    return "";
  }

  private static void checkLength(
      String file, Decoded decoded, int headerBytes, long payload, String declared)
      throws InvalidDatasetException {
    long expected = headerBytes + payload;
    if (decoded.length() < expected) {
      throw new InvalidDatasetException(
          file + ": truncated: the header declares " + declared + ", so expected " + expected
              + " bytes, found " + decoded.length() + decoded.truncationNote());
    }
    if (decoded.length() > expected) {
      throw new InvalidDatasetException(
          file + ": expected " + expected + " bytes for the " + declared + " its header declares,"
              + " found " + decoded.length() + " (" + (decoded.length() - expected)
              + " unexpected trailing bytes)");
    }
    if (decoded.truncatedGzip()) {
      throw new InvalidDatasetException(
          file + ": truncated gzip stream: the data is complete but the gzip trailer is missing");
    }
  }

  private static void checkLabels(String file, int[] labels, int classCount)
      throws InvalidDatasetException {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classCount) {
        throw new InvalidDatasetException(
            file + ": label " + labels[i] + " at index " + i + " is outside 0.." + (classCount - 1)
                + " (" + classCount + " class names)");
      }
    }
  }

  private static List<String> digitNames(int[] labels) {
    int max = IntStream.of(labels).max().orElse(-1);
    return IntStream.rangeClosed(0, max).mapToObj(Integer::toString).toList();
  }

  /** The uncompressed bytes of a file; {@code length} of them are valid. */
  private record Decoded(byte[] bytes, int length, boolean gzip, boolean truncatedGzip) {

    String truncationNote() {
      return truncatedGzip ? " (the gzip stream ends early)" : "";
    }
  }

  private static Decoded decode(String file, byte[] content) throws InvalidDatasetException {
    boolean gzip = content.length >= 2 && content[0] == (byte) 0x1f && content[1] == (byte) 0x8b;
    if (!gzip) {
      return new Decoded(content, content.length, false, false);
    }

    byte[] buffer = new byte[initialGzipBuffer(content)];
    int length = 0;
    boolean truncated = false;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content), 1 << 16)) {
      while (true) {
        if (length == buffer.length) {
          if (buffer.length == MAX_ARRAY_BYTES) {
            throw new InvalidDatasetException(
                file + ": decompresses to more than " + MAX_ARRAY_BYTES + " bytes");
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_ARRAY_BYTES, buffer.length * 2L));
        }
        int read = in.read(buffer, length, buffer.length - length);
        if (read < 0) {
          break;
        }
        length += read;
      }
    } catch (EOFException e) {
      truncated = true;
    } catch (ZipException e) {
      throw new InvalidDatasetException(file + ": corrupt gzip data: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidDatasetException(file + ": cannot decompress gzip data: " + e, e);
    }
    return new Decoded(buffer, length, true, truncated);
  }

  /** Sizes the first buffer from the gzip trailer (uncompressed size modulo 2^32), a hint only. */
  private static int initialGzipBuffer(byte[] content) {
    if (content.length < 18) {
      return 1024;
    }
    long trailerSize =
        Integer.toUnsignedLong(
            ByteBuffer.wrap(content, content.length - 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt());
    long plausibleMax = Math.min(MAX_ARRAY_BYTES, content.length * 1100L);
    return (int) Math.max(1024, Math.min(trailerSize + 1, plausibleMax));
  }
}
