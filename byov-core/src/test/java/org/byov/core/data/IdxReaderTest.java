package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir Path dir;

  private static final byte[] LABELS = {0, 1, 2};

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void readsRawFiles() throws IOException {
    byte[] pixels = IdxTestFiles.patternPixels(3, 2, 4);
    Path images = write("x-images", IdxTestFiles.images(0x803, 3, 2, 4, pixels));
    Path labels = write("x-labels", IdxTestFiles.labels(0x801, LABELS));

    ImageSet set = IdxReader.read("x/train", images, labels, List.of("a", "b", "c"));

    assertThat(set.count()).isEqualTo(3);
    assertThat(set.channels()).isEqualTo(1);
    assertThat(set.height()).isEqualTo(2);
    assertThat(set.width()).isEqualTo(4);
    assertThat(set.pixels()).isEqualTo(pixels);
    assertThat(set.labels()).containsExactly(0, 1, 2);
    assertThat(set.classNames()).containsExactly("a", "b", "c");
    assertThat(set.fingerprint()).hasSize(64);
  }

  @Test
  void gzipDetectedByMagicBytesNotName() throws IOException {
    byte[] pixels = IdxTestFiles.patternPixels(3, 2, 4);
    Path images = write("x-images", IdxTestFiles.gzip(IdxTestFiles.images(0x803, 3, 2, 4, pixels)));
    Path labels = write("x-labels.gz", IdxTestFiles.labels(0x801, LABELS));

    ImageSet set = IdxReader.read("x/train", images, labels, null);

    assertThat(set.pixels()).isEqualTo(pixels);
    assertThat(set.labels()).containsExactly(0, 1, 2);
    // Without class names, classes are named by their label digits up to the largest label.
    assertThat(set.classNames()).containsExactly("0", "1", "2");
  }

  @Test
  void wrongMagicNamesFileAndBothValues() throws IOException {
    Path images = write("t10k-images", IdxTestFiles.labels(0x801, LABELS));

    assertThatThrownBy(() -> IdxReader.readImages(images.toString(), Files.readAllBytes(images)))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(images.toString())
        .hasMessageContaining("wrong magic number 0x00000801")
        .hasMessageContaining("expected 0x00000803")
        .hasMessageContaining("labels file");
  }

  @Test
  void wrongMagicInLabelsFile() throws IOException {
    byte[] content = IdxTestFiles.labels(0x0801, LABELS);
    content[3] = 0x02;

    assertThatThrownBy(() -> IdxReader.readLabels("labels.idx", content))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("labels.idx: wrong magic number 0x00000802, expected 0x00000801");
  }

  @Test
  void truncatedRawFileReportsExpectedAndFoundBytes() throws IOException {
    byte[] full = IdxTestFiles.images(0x803, 3, 2, 4, IdxTestFiles.patternPixels(3, 2, 4));
    Path images = write("short-images", Arrays.copyOf(full, full.length - 5));

    // 16 header bytes + 3 images x 2 x 4 pixels = 40 bytes expected, 35 written.
    assertThatThrownBy(() -> IdxReader.readImages(images.toString(), Files.readAllBytes(images)))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(images.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("3 images of 2x4")
        .hasMessageContaining("expected 40 bytes, found 35");
  }

  @Test
  void truncatedGzipFileIsReported() {
    byte[] full = IdxTestFiles.images(0x803, 50, 28, 28, IdxTestFiles.patternPixels(50, 28, 28));
    byte[] gzip = IdxTestFiles.gzip(full);
    byte[] truncated = Arrays.copyOf(gzip, gzip.length / 2);

    assertThatThrownBy(() -> IdxReader.readImages("cut.gz", truncated))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("cut.gz: truncated")
        .hasMessageContaining("expected 39216 bytes")
        .hasMessageContaining("gzip stream ends early");
  }

  @Test
  void gzipWithoutTrailerIsReported() {
    byte[] full = IdxTestFiles.images(0x803, 1, 2, 2, new byte[4]);
    byte[] gzip = IdxTestFiles.gzip(full);
    // The last 8 bytes are the CRC-32 and size trailer; the deflate data before them is complete.
    byte[] noTrailer = Arrays.copyOf(gzip, gzip.length - 8);

    assertThatThrownBy(() -> IdxReader.readImages("notrailer.gz", noTrailer))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("notrailer.gz")
        .hasMessageContaining("truncated gzip stream");
  }

  @Test
  void headerShorterThanSixteenBytes() {
    byte[] full = IdxTestFiles.images(0x803, 1, 2, 2, new byte[4]);

    assertThatThrownBy(() -> IdxReader.readImages("stub", Arrays.copyOf(full, 10)))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("stub: truncated: expected a 16-byte IDX images header, found 10");
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] full = IdxTestFiles.labels(0x801, LABELS);
    byte[] longer = Arrays.copyOf(full, full.length + 2);

    // 8 header bytes + 3 labels = 11 bytes expected.
    assertThatThrownBy(() -> IdxReader.readLabels("long-labels", longer))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("long-labels: expected 11 bytes")
        .hasMessageContaining("found 13 (2 unexpected trailing bytes)");
  }

  @Test
  void zeroImageSizeIsRejected() {
    byte[] content = IdxTestFiles.images(0x803, 2, 0, 4, new byte[0]);

    assertThatThrownBy(() -> IdxReader.readImages("flat", content))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("flat: invalid image size 0x4");
  }

  @Test
  void imageAndLabelCountsMustAgree() throws IOException {
    Path images = write("a-images", IdxTestFiles.images(0x803, 2, 1, 1, new byte[2]));
    Path labels = write("a-labels", IdxTestFiles.labels(0x801, LABELS));

    assertThatThrownBy(() -> IdxReader.read("a", images, labels, null))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(images + " contains 2 images")
        .hasMessageContaining(labels + " contains 3 labels");
  }

  @Test
  void labelOutsideClassNamesIsRejected() throws IOException {
    Path images = write("b-images", IdxTestFiles.images(0x803, 3, 1, 1, new byte[3]));
    Path labels = write("b-labels", IdxTestFiles.labels(0x801, new byte[] {0, 1, 7}));

    assertThatThrownBy(() -> IdxReader.read("b", images, labels, List.of("x", "y")))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("label 7 at index 2 is outside 0..1");
  }
}
