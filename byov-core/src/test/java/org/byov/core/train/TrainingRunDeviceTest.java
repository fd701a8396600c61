package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.Parameter;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device a run is created for: where its arrays live, and which devices are rejected. */
class TrainingRunDeviceTest {

  @TempDir Path checkpoints;

  private static TrainingSpec smallSpec() {
    return TrainingSpec.builder()
        .trainSubset(32).batchSize(16).epochs(1).warmupEpochs(0).seed(5).build();
  }

  @Test
  void explicitCpuTrainsWithEveryArrayOnCpu() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    CropFlipAugmenter augmenter = new CropFlipAugmenter(Normalization.of(train), 2);

    try (TrainingRun run = TrainingRun.create(smallSpec(), train, augmenter, Device.cpu())) {
      TrainingResult result = run.train(TrainingListener.NONE, CheckpointTarget.under(checkpoints, 1));

      assertThat(result.status()).isEqualTo(TrainingResult.Status.COMPLETED);
      assertThat(result.step()).isEqualTo(2);
      assertThat(run.device()).isEqualTo(Device.cpu());
      for (Parameter parameter : run.online().store().all()) {
        assertThat(parameter.array().getDevice()).as(parameter.name()).isEqualTo(Device.cpu());
      }
      for (Parameter parameter : run.target().store().all()) {
        assertThat(parameter.array().getDevice()).as(parameter.name()).isEqualTo(Device.cpu());
      }
      for (NDArray state : run.optimiser().state().values()) {
        assertThat(state.getDevice()).as(state.getName()).isEqualTo(Device.cpu());
      }
    }
  }

  @Test
  void gpuBeyondEngineCountRejected() {
    ImageSet train = TestData.fashionMnistTrain();
    CropFlipAugmenter augmenter = new CropFlipAugmenter(Normalization.of(train), 2);
    // Ids run from 0 to count - 1, so the id equal to the count never exists, with or without GPUs.
    Device missing = Device.gpu(Engine.getInstance().getGpuCount());

    assertThatThrownBy(() -> TrainingRun.create(smallSpec(), train, augmenter, missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Device " + missing + " is not available");
  }
}
