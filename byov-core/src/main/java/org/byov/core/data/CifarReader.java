package org.byov.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10: {@code data_batch_1.bin} to {@code data_batch_5.bin}
 * (training split) and {@code test_batch.bin} (test split). Each file is a sequence of 3073-byte
 * records: one label byte, then 1024 red, 1024 green and 1024 blue pixel values of a 32x32 image
 * in row-major order, which is already the channel-first layout of {@link ImageSet}.
 *
 * <p>Class names come from {@code batches.meta.txt} (one name per line, blank lines ignored); when
 * that file is absent the ten standard CIFAR-10 names are used.
 */
public final class CifarReader {

  /** Image side in pixels. */
  public static final int SIDE = 32;

  /** Colour channels per image. */
  public static final int CHANNELS = 3;

  /** Bytes per record: one label byte and 3 x 32 x 32 pixel bytes. */
  public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;

  /** The class names of CIFAR-10 in label order, as its {@code batches.meta.txt} lists them. */
  public static final List<String> CIFAR10_CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** The class-name file of the binary distribution. */
  public static final String META_FILE = "batches.meta.txt";

  private CifarReader() {}

  /** Returns the batch files of a split, in label-file order. */
  public static List<String> batchFiles(DatasetSplit split) {
    if (split == DatasetSplit.TEST) {
      return List.of("test_batch.bin");
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      names.add("data_batch_" + i + ".bin");
    }
    return names;
  }

  /**
   * Reads one split from a directory that contains the batch files, for example the unpacked
   * {@code cifar-10-batches-bin}. The fingerprint covers the split's batch files and, when present,
   * {@code batches.meta.txt}.
   *
   * @throws DatasetNotFoundException when a batch file of the split is missing
   * @throws InvalidDatasetException when a file's size is not a whole number of records or a label
   *     is outside the class names
   */
  public static ImageSet read(String name, Path directory, DatasetSplit split) throws IOException {
    DatasetFingerprint fingerprint = new DatasetFingerprint();
    List<String> classNames = readClassNames(directory, fingerprint);

    List<byte[]> contents = new ArrayList<>();
    int count = 0;
    for (String fileName : batchFiles(split)) {
      Path file = directory.resolve(fileName);
      if (!Files.isRegularFile(file)) {
        throw new DatasetNotFoundException(
            "CIFAR-10 batch file " + file + " not found. The " + split.id() + " split needs "
                + String.join(", ", batchFiles(split)) + " in " + directory);
      }
      byte[] content = Files.readAllBytes(file);
      if (content.length % RECORD_BYTES != 0) {
        throw new InvalidDatasetException(
            file + ": size " + content.length + " bytes is not a whole number of " + RECORD_BYTES
                + "-byte CIFAR-10 records (" + content.length / RECORD_BYTES + " records and "
                + content.length % RECORD_BYTES + " bytes left over). The file is truncated or"
                + " not a CIFAR-10 binary batch");
      }
      fingerprint.add(fileName, content);
      contents.add(content);
      count += content.length / RECORD_BYTES;
    }

    int imageBytes = RECORD_BYTES - 1;
    byte[] pixels = new byte[Math.multiplyExact(count, imageBytes)];
    int[] labels = new int[count];
    int image = 0;
    for (int fileIndex = 0; fileIndex < contents.size(); fileIndex++) {
      byte[] content = contents.get(fileIndex);
      for (int offset = 0; offset < content.length; offset += RECORD_BYTES) {
        int label = content[offset] & 0xFF;
        if (label >= classNames.size()) {
          throw new InvalidDatasetException(
              directory.resolve(batchFiles(split).get(fileIndex)) + ": label " + label
                  + " of record " + offset / RECORD_BYTES + " is outside 0.."
                  + (classNames.size() - 1) + " (" + classNames.size() + " class names)");
        }
        labels[image] = label;
        System.arraycopy(content, offset + 1, pixels, image * imageBytes, imageBytes);
        image++;
      }
    }
    return new ImageSet(
        name, count, CHANNELS, SIDE, SIDE, pixels, labels, classNames, fingerprint.hex());
  }

  private static List<String> readClassNames(Path directory, DatasetFingerprint fingerprint)
      throws IOException {
    Path meta = directory.resolve(META_FILE);
    if (!Files.isRegularFile(meta)) {
      return CIFAR10_CLASSES;
    }
    byte[] content = Files.readAllBytes(meta);
    fingerprint.add(META_FILE, content);
    List<String> names =
        new String(content, StandardCharsets.UTF_8)
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty())
            .toList();
    if (names.isEmpty()) {
      throw new InvalidDatasetException(meta + ": no class names found. Expected one per line");
    }
    return names;
  }
}
