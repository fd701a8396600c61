package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

  @TempDir Path dir;

  /** Writes a batch of records whose label is {@code firstLabel + r} and pixel p is (seed + p) % 256. */
  private static byte[] batch(int records, int firstLabel, int seed) {
    byte[] content = new byte[records * CifarReader.RECORD_BYTES];
    for (int r = 0; r < records; r++) {
      int offset = r * CifarReader.RECORD_BYTES;
      content[offset] = (byte) ((firstLabel + r) % 10);
      for (int p = 0; p < CifarReader.RECORD_BYTES - 1; p++) {
        content[offset + 1 + p] = (byte) (seed + r + p);
      }
    }
    return content;
  }

  private void writeAllBatches() throws IOException {
    for (int i = 1; i <= 5; i++) {
      Files.write(dir.resolve("data_batch_" + i + ".bin"), batch(2, 2 * (i - 1), 10 * i));
    }
    Files.write(dir.resolve("test_batch.bin"), batch(3, 7, 99));
  }

  @Test
  void readsTrainSplitFromFiveBatches() throws IOException {
    writeAllBatches();

    ImageSet train = CifarReader.read("c/train", dir, DatasetSplit.TRAIN);

    assertThat(train.count()).isEqualTo(10);
    assertThat(train.channels()).isEqualTo(3);
    assertThat(train.height()).isEqualTo(32);
    assertThat(train.width()).isEqualTo(32);
    // Batch i contains labels 2(i-1) and 2(i-1)+1, so the five batches give 0..9 in order.
    assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(train.classNames()).isEqualTo(CifarReader.CIFAR10_CLASSES);
  }

  @Test
  void recordPixelsAreChannelFirst() throws IOException {
    writeAllBatches();

    ImageSet test = CifarReader.read("c/test", dir, DatasetSplit.TEST);

    assertThat(test.count()).isEqualTo(3);
    assertThat(test.labels()).containsExactly(7, 8, 9);
    // Record 1 of the test batch: pixel p is (99 + 1 + p) % 256. Red plane starts at p = 0,
    // green at p = 1024 (100 + 1024 = 1124 -> 100), blue at p = 2048 (2148 -> 100).
    assertThat(test.pixel(1, 0)).isEqualTo(100);
    assertThat(test.pixel(1, 1024)).isEqualTo(1124 % 256);
    assertThat(test.pixel(1, 2048 + 5)).isEqualTo((100 + 2048 + 5) % 256);
  }

  @Test
  void classNamesFromMetaFile() throws IOException {
    writeAllBatches();
    String names = "a0\nb1\nc2\nd3\ne4\nf5\ng6\nh7\ni8\nj9\n\n";
    Files.writeString(dir.resolve("batches.meta.txt"), names, StandardCharsets.UTF_8);

    ImageSet test = CifarReader.read("c/test", dir, DatasetSplit.TEST);

    assertThat(test.classNames()).containsExactly("a0", "b1", "c2", "d3", "e4", "f5", "g6", "h7", "i8", "j9");
  }

  @Test
  void truncatedBatchIsRejected() throws IOException {
    writeAllBatches();
    byte[] full = batch(3, 0, 0);
    Path file = Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(full, full.length - 100));

    // 3 x 3073 - 100 = 9119 bytes: 2 whole records and 2973 bytes left over.
    assertThatThrownBy(() -> CifarReader.read("c/test", dir, DatasetSplit.TEST))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("size 9119 bytes")
        .hasMessageContaining("2 records and 2973 bytes left over");
  }

  @Test
  void missingBatchNamesTheFile() throws IOException {
    writeAllBatches();
    Files.delete(dir.resolve("data_batch_4.bin"));

    assertThatThrownBy(() -> CifarReader.read("c/train", dir, DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining(dir.resolve("data_batch_4.bin") + " not found");
  }

  @Test
  void labelBeyondClassNamesIsRejected() throws IOException {
    writeAllBatches();
    byte[] content = batch(1, 0, 0);
    content[0] = 12;
    Files.write(dir.resolve("test_batch.bin"), content);

    assertThatThrownBy(() -> CifarReader.read("c/test", dir, DatasetSplit.TEST))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("label 12 of record 0 is outside 0..9");
  }
}
