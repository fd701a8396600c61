package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.ssl.augment.ViewAugmenter;
import org.byov.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

  @TempDir Path directory;

  @Test
  void byovLossFallsOnFashionMnist() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    TrainingSpec spec = TrainingSpec.builder()
        .trainSubset(512).batchSize(64).epochs(2).warmupEpochs(0).seed(3).build();
    ViewAugmenter augmenter = new CropFlipAugmenter(Normalization.of(train), 2);

    try (TrainingRun run = TrainingRun.create(spec, train, augmenter)) {
      TrainingResult result = run.train(TrainingListener.NONE, null);

      List<EpochMetrics> metrics = result.metrics();
      assertThat(result.status()).isEqualTo(TrainingResult.Status.COMPLETED);
      assertThat(metrics).hasSize(2);
      for (EpochMetrics epoch : metrics) {
        assertThat(epoch.klPerExample()).isFinite();
        assertThat(epoch.totalLoss()).isFinite();
      }
      assertThat(metrics.get(1).byolLoss()).isLessThan(metrics.get(0).byolLoss());
      assertThat(metrics.get(1).snr()).hasSize(1);
      assertThat(metrics.get(1).collapseAlert()).isFalse();
    }
  }
}
