package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.byov.core.bayes.PriorKind;
import org.byov.core.data.ImageSet;
import org.byov.core.model.TrainedModel;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisedBbbTest {

  @TempDir Path directory;

  @Test
  void supervisedRunTrainsBayesianClassifier() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    TrainingSpec spec = TrainingSpec.builder().method(Method.SUPERVISED_BBB)
        .prior(PriorKind.STANDARD_NORMAL).klWeight(0.05).trainSubset(64).batchSize(32).epochs(1)
        .warmupEpochs(0).build();
    Path model = directory.resolve("model");

    try (TrainingRun run = TrainingRun.create(spec, train,
        new CropFlipAugmenter(Normalization.of(train), 2))) {
      TrainingResult result = run.train(TrainingListener.NONE, null);
      EpochMetrics metrics = result.metrics().get(0);

      assertThat(run.target()).isNull();
      assertThat(run.online().bayesianLayers()).hasSize(2);
      assertThat(metrics.byolLoss()).isNull();
      assertThat(metrics.tau()).isNull();
      assertThat(metrics.crossEntropy()).isPositive().isFinite();
      // A KL of about 4.5 nats per weight over 65,536 + 2,560 weights, divided by 64 images.
      assertThat(metrics.klPerExample()).isBetween(4000.0, 6000.0);
      run.exportModel(model);
    }

    try (TrainedModel loaded = TrainedModel.load(model);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray features = loaded.trunkFeatures(
          loaded.normalise(manager, TestData.fashionMnistTest(), new int[] {0, 1}));
      NDArray logits = loaded.sampleLogits(features, 3, 7);

      assertThat(loaded.hasClassifier()).isTrue();
      assertThat(logits.getShape()).isEqualTo(new Shape(3, 2, 10));
    }
  }
}
