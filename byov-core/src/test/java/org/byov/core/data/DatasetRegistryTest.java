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

class DatasetRegistryTest {

  @TempDir Path root;

  private void writeIdx(Path directory, String prefix, int count) throws IOException {
    Files.createDirectories(directory);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    Files.write(
        directory.resolve(prefix + "-images-idx3-ubyte.gz"),
        IdxTestFiles.gzip(
            IdxTestFiles.images(0x803, count, 28, 28, IdxTestFiles.patternPixels(count, 28, 28))));
    Files.write(directory.resolve(prefix + "-labels-idx1-ubyte"), IdxTestFiles.labels(0x801, labels));
  }

  @Test
  void knownNameUnderRootGetsClassNames() throws IOException {
    writeIdx(root.resolve("fashion-mnist"), "train", 20);

    ImageSet set = new DatasetRegistry(root).load("fashion-mnist", DatasetSplit.TRAIN);

    assertThat(set.name()).isEqualTo("fashion-mnist/train");
    assertThat(set.count()).isEqualTo(20);
    assertThat(set.classNames()).isEqualTo(DatasetRegistry.FASHION_MNIST_CLASSES);
  }

  @Test
  void missingDatasetNamesPathAndFix() {
    DatasetRegistry registry = new DatasetRegistry(root);

    assertThatThrownBy(() -> registry.load("fashion-mnist", DatasetSplit.TEST))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining(root.resolve("fashion-mnist") + " does not exist")
        .hasMessageContaining("./byov datasets")
        .hasMessageContaining("scripts/install-datasets.sh");
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> new DatasetRegistry(root).load("imagenet", DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("Unknown dataset 'imagenet'")
        .hasMessageContaining("fashion-mnist, mnist, cifar10");
  }

  @Test
  void idxDirectoryByPathUsesTestPrefix() throws IOException {
    Path directory = root.resolve("elsewhere/digits");
    writeIdx(directory, "t10k", 12);

    ImageSet set = new DatasetRegistry(root).load(directory.toString(), DatasetSplit.TEST);

    assertThat(set.name()).isEqualTo("digits/test");
    assertThat(set.count()).isEqualTo(12);
    assertThat(set.classNames()).hasSize(10);
  }

  @Test
  void idxImagesWithoutLabelsNamesTheLabelsFile() throws IOException {
    Path directory = root.resolve("half");
    writeIdx(directory, "train", 4);
    Files.delete(directory.resolve("train-labels-idx1-ubyte"));

    assertThatThrownBy(() -> new DatasetRegistry(root).load(directory.toString(), DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining(directory.resolve("train-labels-idx1-ubyte[.gz]") + " not found");
  }

  @Test
  void cifarDirectoryByNameAndNestedFolder() throws IOException {
    Path batches = root.resolve("cifar10/cifar-10-batches-bin");
    Files.createDirectories(batches);
    Files.write(batches.resolve("test_batch.bin"), new byte[2 * CifarReader.RECORD_BYTES]);

    ImageSet set = new DatasetRegistry(root).load("cifar10", DatasetSplit.TEST);

    assertThat(set.name()).isEqualTo("cifar10/test");
    assertThat(set.count()).isEqualTo(2);
    assertThat(set.channels()).isEqualTo(3);
  }

  @Test
  void imageFolderWithSplitSubFolders() throws IOException {
    Path directory = root.resolve("shapes");
    for (String file : new String[] {"train/a/1.png", "train/b/1.png", "test/a/1.png"}) {
      Path path = directory.resolve(file);
      Files.createDirectories(path.getParent());
      ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "png", path.toFile());
    }
    DatasetRegistry registry = new DatasetRegistry(root);

    ImageSet train = registry.load(directory.toString(), DatasetSplit.TRAIN);
    ImageSet test = registry.load(directory.toString(), DatasetSplit.TEST);

    assertThat(train.name()).isEqualTo("shapes/train");
    assertThat(train.classNames()).containsExactly("a", "b");
    assertThat(test.count()).isEqualTo(1);
  }

  @Test
  void missingPathIsReported() {
    Path missing = root.resolve("nowhere");

    assertThatThrownBy(() -> new DatasetRegistry(root).load(missing.toString(), DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("Dataset directory " + missing + " not found");
  }

  @Test
  void fileInsteadOfDirectoryIsReported() throws IOException {
    Path file = Files.writeString(root.resolve("images.idx"), "x");

    assertThatThrownBy(() -> new DatasetRegistry(root).load(file.toString(), DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("Dataset directory " + file + " is not a directory");
  }

  @Test
  void splitParsing() {
    assertThat(DatasetSplit.parse(" Train ")).isEqualTo(DatasetSplit.TRAIN);
    assertThatThrownBy(() -> DatasetSplit.parse("validation"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown dataset split 'validation'. Expected one of train, test");
  }
}
