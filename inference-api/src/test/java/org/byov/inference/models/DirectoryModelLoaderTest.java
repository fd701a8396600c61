package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.byov.core.data.ImageSet;
import org.byov.core.model.TrainedModel;
import org.byov.core.train.TrainingRun;
import org.byov.inference.batching.BatchingProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryModelLoaderTest {

  @TempDir
  static Path temporary;
  static Path modelDirectory;

  private final DirectoryModelLoader loader = new DirectoryModelLoader(
      new BatchingProperties(true, 64, Duration.ofMillis(2), 64, 16384, "cpu"));

  @BeforeAll
  static void export() throws IOException {
    modelDirectory = ExportedModels.export(temporary.resolve("model"));
  }

  /** The reference is byov-core's TrainedModel, which loads the same directory its own way. */
  @Test
  void loadedModelMatchesCoreModel() throws Exception {
    ImageSet images = ExportedModels.fashionMnistTest();
    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("local", 0, modelDirectory.toUri().toString(), null),
        modelDirectory, null, null));
    try (TrainedModel reference = TrainedModel.load(modelDirectory);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray normalised = reference.normalise(manager, images, new int[] {0, 1, 2});
      float[] expected = reference.meanEmbeddings(reference.trunkFeatures(normalised))
          .toFloatArray();
      float[] actual = served.network().meanTail(served.network().trunk(normalised))
          .toFloatArray();

      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
      }
      assertThat(served.contract().classNames()).isEqualTo(images.classNames());
      assertThat(served.contract().std().get(0))
          .isEqualTo(reference.inputContract().std()[0]);
      assertThat(served.network().bayesianLayers()).hasSize(1);
      assertThat(served.probe()).isNull();
    } finally {
      served.release();
    }
  }

  @Test
  void corruptDirectoryIsRejected() throws IOException {
    Path corrupt = temporary.resolve("corrupt");
    Files.createDirectories(corrupt);
    try (var files = Files.list(modelDirectory)) {
      for (Path file : files.toList()) {
        Files.copy(file, corrupt.resolve(file.getFileName()));
      }
    }
    Path weights = corrupt.resolve(TrainingRun.MODEL_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(weights, bytes);

    assertThatThrownBy(() -> loader.load(new ModelSource(
        new ModelVersionInfo("local", 0, corrupt.toUri().toString(), null), corrupt, null, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(TrainingRun.MODEL_FILE);
  }

  @Test
  void registryShapeMismatchIsRejected() {
    InputContract rgb = new InputContract(3, 32, 32, null, null, null);

    assertThatThrownBy(() -> loader.load(new ModelSource(
        new ModelVersionInfo("m", 1, "x", null), modelDirectory, rgb, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("3x32x32");
  }
}
