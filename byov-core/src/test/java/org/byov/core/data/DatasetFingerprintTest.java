package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFingerprintTest {

  @TempDir Path dir;

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void matchesSha256sumListing() {
    // Reference: printf abc > a.bin; : > b.bin; sha256sum a.bin b.bin | sha256sum
    String expected = "df17065e8da522f959088d4f4476f9d9f9e70606534bff6097cd2b7fbb14a04e";

    String fingerprint =
        new DatasetFingerprint().add("b.bin", new byte[0]).add("a.bin", ascii("abc")).hex();

    assertThat(fingerprint).isEqualTo(expected);
  }

  @Test
  void changesWhenOneByteChanges() {
    // Reference: printf abd > a.bin; : > b.bin; sha256sum a.bin b.bin | sha256sum
    String expected = "2619b1742e8d2c5d47c14616f4e02c899f3b93d9e6eb4d847ba814f2b8f7c389";

    String fingerprint =
        new DatasetFingerprint().add("a.bin", ascii("abd")).add("b.bin", new byte[0]).hex();

    assertThat(fingerprint).isEqualTo(expected);
  }

  @Test
  void changesWhenFileIsRenamed() {
    String original = new DatasetFingerprint().add("a.bin", ascii("abc")).hex();
    String renamed = new DatasetFingerprint().add("c.bin", ascii("abc")).hex();

    assertThat(renamed).isNotEqualTo(original);
  }

  @Test
  void idxDatasetChangesWhenOnePixelChanges() throws IOException {
    byte[] pixels = IdxTestFiles.patternPixels(2, 3, 3);
    Path images = Files.write(dir.resolve("images"), IdxTestFiles.images(0x803, 2, 3, 3, pixels));
    Path labels = Files.write(dir.resolve("labels"), IdxTestFiles.labels(0x801, new byte[] {0, 1}));
    String before = IdxReader.read("d", images, labels, null).fingerprint();

    pixels[17] ^= 1;
    Files.write(images, IdxTestFiles.images(0x803, 2, 3, 3, pixels));
    String after = IdxReader.read("d", images, labels, null).fingerprint();

    assertThat(after).isNotEqualTo(before);
  }
}
