package org.byov.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.byov.core.checkpoint.CorruptCheckpointException;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.testing.TestData;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedModelTest {

  @TempDir static Path directory;
  private static Path modelDirectory;
  private static Path checkpointDirectory;

  @BeforeAll
  static void exportUntrainedModel() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    TrainingSpec spec = TrainingSpec.builder().trainSubset(64).batchSize(32).epochs(1).build();
    modelDirectory = directory.resolve("model");
    checkpointDirectory = directory.resolve("checkpoint");
    try (TrainingRun run = TrainingRun.create(spec, train,
        new CropFlipAugmenter(Normalization.of(train), 2))) {
      run.exportModel(modelDirectory);
      run.writeCheckpoint(checkpointDirectory);
    }
  }

  @Test
  void modelRecordsInputContract() throws Exception {
    try (TrainedModel model = TrainedModel.load(modelDirectory)) {
      assertThat(model.inputContract().channels()).isEqualTo(1);
      assertThat(model.inputContract().height()).isEqualTo(28);
      assertThat(model.inputContract().classNames()).hasSize(10);
      assertThat(model.inputContract().std()[0]).isPositive();
      assertThat(model.isBayesian()).isTrue();
      assertThat(model.bayesianLayers()).hasSize(1);
    }
  }

  @Test
  void samplesHaveShapeAndAreSeeded() throws Exception {
    ImageSet test = TestData.fashionMnistTest();
    try (TrainedModel model = TrainedModel.load(modelDirectory);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray features = model.trunkFeatures(model.normalise(manager, test, new int[] {0, 1, 2}));

      NDArray first = model.sampleEmbeddings(features, 4, 99);
      NDArray again = model.sampleEmbeddings(features, 4, 99);
      NDArray other = model.sampleEmbeddings(features, 4, 100);
      NDArray mean = model.meanEmbeddings(features);

      assertThat(first.getShape()).isEqualTo(new Shape(4, 3, 256));
      assertThat(mean.getShape()).isEqualTo(new Shape(3, 256));
      assertThat(first.toFloatArray()).containsExactly(again.toFloatArray());
      assertThat(first.toFloatArray()).isNotEqualTo(other.toFloatArray());
      assertThat(first.getManager()).isSameAs(features.getManager());
    }
  }

  @Test
  void zeroSigmaMakesSamplesEqualMean() throws Exception {
    ImageSet test = TestData.fashionMnistTest();
    try (TrainedModel model = TrainedModel.load(modelDirectory);
        NDManager manager = NDManager.newBaseManager()) {
      for (BayesianLayer layer : model.bayesianLayers()) {
        layer.sigma().assign(new float[(int) layer.weightCount()]);
      }
      NDArray features = model.trunkFeatures(model.normalise(manager, test, new int[] {5, 6}));

      float[] samples = model.sampleEmbeddings(features, 3, 1).toFloatArray();
      float[] mean = model.meanEmbeddings(features).toFloatArray();

      for (int i = 0; i < samples.length; i++) {
        assertThat((double) samples[i]).isCloseTo(mean[i % mean.length], within(1e-5));
      }
    }
  }

  @Test
  void checkpointLoadsLikeModel() throws Exception {
    ImageSet test = TestData.fashionMnistTest();
    try (TrainedModel fromModel = TrainedModel.load(modelDirectory);
        TrainedModel fromCheckpoint = TrainedModel.load(checkpointDirectory);
        NDManager manager = NDManager.newBaseManager()) {
      int[] indices = {3, 4};
      float[] a = fromModel.sampleEmbeddings(fromModel.trunkFeatures(
          fromModel.normalise(manager, test, indices)), 2, 5).toFloatArray();
      float[] b = fromCheckpoint.sampleEmbeddings(fromCheckpoint.trunkFeatures(
          fromCheckpoint.normalise(manager, test, indices)), 2, 5).toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat((double) a[i]).isCloseTo(b[i], within(1e-5));
      }
    }
  }

  @Test
  void corruptModelIsNotLoaded() throws Exception {
    Path copy = directory.resolve("corrupt-model");
    Files.createDirectories(copy);
    for (String file : new String[] {"manifest.json", "model.params"}) {
      Files.copy(modelDirectory.resolve(file), copy.resolve(file));
    }
    byte[] bytes = Files.readAllBytes(copy.resolve("model.params"));
    bytes[100] ^= 1;
    Files.write(copy.resolve("model.params"), bytes);

    assertThatThrownBy(() -> TrainedModel.load(copy))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("model.params");
  }
}
