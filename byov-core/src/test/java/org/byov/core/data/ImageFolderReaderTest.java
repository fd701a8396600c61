package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

  @TempDir Path dir;

  private static BufferedImage gray(int width, int height, int base) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, base + 10 * y + x);
      }
    }
    return image;
  }

  private static BufferedImage rgb(int width, int height, int red, int green, int blue) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
    return image;
  }

  private void write(BufferedImage image, String format, String relative) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
  }

  @Test
  void grayscalePngsWithSortedClassFolders() throws IOException {
    write(gray(3, 2, 100), "png", "zebra/b.png");
    write(gray(3, 2, 0), "png", "ant/a.PNG");
    write(gray(3, 2, 50), "png", "zebra/a.png");
    Files.writeString(dir.resolve("zebra/notes.txt"), "not an image");

    ImageSet set = ImageFolderReader.read("animals", dir);

    assertThat(set.classNames()).containsExactly("ant", "zebra");
    assertThat(set.count()).isEqualTo(3);
    assertThat(set.channels()).isEqualTo(1);
    assertThat(set.height()).isEqualTo(2);
    assertThat(set.width()).isEqualTo(3);
    // Order: ant/a.PNG, zebra/a.png, zebra/b.png; pixel (x, y) = base + 10y + x.
    assertThat(set.labels()).containsExactly(0, 1, 1);
    assertThat(set.pixel(0, 0)).isEqualTo(0);
    assertThat(set.pixel(1, 0)).isEqualTo(50);
    assertThat(set.pixel(2, 3 + 2)).isEqualTo(100 + 10 + 2);
  }

  @Test
  void colourPngIsChannelFirst() throws IOException {
    write(rgb(2, 2, 200, 100, 50), "png", "one/x.png");

    ImageSet set = ImageFolderReader.read("colour", dir);

    assertThat(set.channels()).isEqualTo(3);
    assertThat(set.pixel(0, 0)).isEqualTo(200);
    assertThat(set.pixel(0, 4)).isEqualTo(100);
    assertThat(set.pixel(0, 8 + 3)).isEqualTo(50);
  }

  @Test
  void jpegIsDecoded() throws IOException {
    write(rgb(8, 8, 0, 0, 0), "jpg", "dark/x.jpg");
    write(rgb(8, 8, 255, 255, 255), "jpeg", "light/x.jpeg");

    ImageSet set = ImageFolderReader.read("jpeg", dir);

    assertThat(set.count()).isEqualTo(2);
    assertThat(set.channels()).isEqualTo(3);
    // JPEG is lossy, but a flat black or white block decodes to within a few levels.
    assertThat(set.pixel(0, 0)).isLessThan(8);
    assertThat(set.pixel(1, 0)).isGreaterThan(247);
  }

  @Test
  void differentSizeNamesTheFile() throws IOException {
    write(gray(4, 4, 0), "png", "a/first.png");
    write(gray(4, 5, 0), "png", "b/odd.png");

    assertThatThrownBy(() -> ImageFolderReader.read("mixed", dir))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("b/odd.png is 4x5 with 1 channel")
        .hasMessageContaining("the first image, a/first.png, is 4x4 with 1 channel");
  }

  @Test
  void differentChannelCountNamesTheFile() throws IOException {
    write(gray(4, 4, 0), "png", "a/first.png");
    write(rgb(4, 4, 1, 2, 3), "png", "a/second.png");

    assertThatThrownBy(() -> ImageFolderReader.read("mixed", dir))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("a/second.png is 4x4 with 3 channels");
  }

  @Test
  void emptyClassFolderIsRejected() throws IOException {
    write(gray(2, 2, 0), "png", "a/x.png");
    Files.createDirectories(dir.resolve("b"));

    assertThatThrownBy(() -> ImageFolderReader.read("sparse", dir))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(dir.resolve("b") + " has no PNG or JPEG files");
  }

  @Test
  void undecodableFileIsRejected() throws IOException {
    write(gray(2, 2, 0), "png", "a/x.png");
    Files.writeString(dir.resolve("a/y.png"), "this is text");

    assertThatThrownBy(() -> ImageFolderReader.read("broken", dir))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(dir.resolve("a/y.png").toString());
  }

  @Test
  void folderWithoutClassFoldersIsRejected() throws IOException {
    write(gray(2, 2, 0), "png", "x.png");

    assertThatThrownBy(() -> ImageFolderReader.read("flat", dir))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("has no class sub-folders");
  }
}
