package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.core.checkpoint.Checkpoints;
import org.byov.core.checkpoint.CorruptCheckpointException;
import org.byov.core.checkpoint.ParameterSnapshots;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.ssl.augment.ViewAugmenter;
import org.byov.core.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

  private static final TrainingSpec SPEC = TrainingSpec.builder()
      .trainSubset(48).batchSize(16).epochs(3).warmupEpochs(1).seed(11).build();

  /** Tolerance for resumed values: PyTorch's CPU kernels may sum in a different order. */
  private static final float TOLERANCE = 1e-4f;

  @TempDir static Path shared;
  @TempDir Path directory;

  private static Map<String, Tensor> uninterrupted;
  private static Path fullRunCheckpoints;

  @BeforeAll
  static void trainUninterrupted() throws Exception {
    fullRunCheckpoints = shared.resolve("full");
    try (TrainingRun run = newRun()) {
      TrainingResult result = run.train(TrainingListener.NONE,
          CheckpointTarget.under(fullRunCheckpoints, 2));
      assertThat(result.step()).isEqualTo(9);
      uninterrupted = state(run);
    }
  }

  @Test
  void resumeAfterEpochMatchesFullRun() throws Exception {
    Path checkpoints = directory.resolve("stopped");
    try (TrainingRun first = newRun()) {
      TrainingResult stopped = first.train(stopAfterStep(3), CheckpointTarget.under(checkpoints, 5));
      assertThat(stopped.status()).isEqualTo(TrainingResult.Status.STOPPED);
      assertThat(stopped.epochsCompleted()).isEqualTo(1);
      assertThat(stopped.lastCheckpoint()).isEqualTo(checkpoints.resolve("epoch-1"));
    }

    try (TrainingRun resumed = newRun()) {
      assertThat(resumed.resumeFromNewest(List.of(checkpoints))).isPresent();
      assertThat(resumed.step()).isEqualTo(3);
      assertThat(resumed.optimiser().stepCount()).isEqualTo(3);

      TrainingResult result = resumed.train(TrainingListener.NONE,
          CheckpointTarget.under(checkpoints, 5));

      assertThat(result.status()).isEqualTo(TrainingResult.Status.COMPLETED);
      assertThat(result.epochsCompleted()).isEqualTo(3);
      assertThat(result.metrics()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
      assertSameState(state(resumed), uninterrupted);
    }
  }

  @Test
  void resumeWithinEpochMatchesFullRun() throws Exception {
    Path checkpoints = directory.resolve("mid-epoch");
    try (TrainingRun first = newRun()) {
      TrainingResult stopped = first.train(stopAfterStep(5), CheckpointTarget.under(checkpoints, 5));
      assertThat(stopped.lastCheckpoint()).isEqualTo(checkpoints.resolve("epoch-1-step-5"));
    }
    try (TrainingRun resumed = newRun()) {
      resumed.resumeFromNewest(List.of(checkpoints));
      assertThat(resumed.step()).isEqualTo(5);

      TrainingResult result = resumed.train(TrainingListener.NONE, null);

      assertThat(result.step()).isEqualTo(9);
      assertSameState(state(resumed), uninterrupted);
    }
  }

  @Test
  void retentionKeepsNewestCheckpoints() throws Exception {
    assertThat(Checkpoints.list(List.of(fullRunCheckpoints)))
        .extracting(entry -> entry.directory().getFileName().toString())
        .containsExactly("epoch-3", "epoch-2");
  }

  @Test
  void corruptCheckpointIsRejectedAndSkipped() throws Exception {
    Path checkpoints = directory.resolve("corrupt");
    copyTree(fullRunCheckpoints, checkpoints);
    Path newest = checkpoints.resolve("epoch-3");
    Path weights = newest.resolve("online.params");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(weights, bytes);

    assertThatThrownBy(() -> CheckpointIo.read(newest))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("online.params")
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("not loaded");
    try (TrainingRun run = newRun()) {
      assertThatThrownBy(() -> run.resumeFrom(newest))
          .isInstanceOf(CorruptCheckpointException.class);
      assertThat(run.step()).isZero();

      assertThat(run.resumeFromNewest(List.of(checkpoints)))
          .contains(checkpoints.resolve("epoch-2"));
      assertThat(run.step()).isEqualTo(6);
    }
  }

  @Test
  void truncatedManifestIsRejected() throws Exception {
    Path checkpoint = directory.resolve("truncated");
    copyTree(fullRunCheckpoints.resolve("epoch-2"), checkpoint);
    Path manifest = checkpoint.resolve("manifest.json");
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.substring(0, text.length() / 2));

    assertThatThrownBy(() -> CheckpointIo.read(checkpoint))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void resumeWithDifferentSpecIsRejected() throws Exception {
    TrainingSpec other = SPEC.toBuilder().learningRate(5e-4).build();
    try (TrainingRun run = TrainingRun.create(other, TestData.fashionMnistTrain(), augmenter())) {
      assertThatThrownBy(() -> run.resumeFrom(fullRunCheckpoints.resolve("epoch-2")))
          .hasMessageContaining("different training spec");
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.copy(path, to.resolve(from.relativize(path).toString()));
      }
    }
  }

  private static TrainingRun newRun() {
    return TrainingRun.create(SPEC, TestData.fashionMnistTrain(), augmenter());
  }

  private static ViewAugmenter augmenter() {
    ImageSet train = TestData.fashionMnistTrain();
    return new CropFlipAugmenter(Normalization.of(train), 2);
  }

  private static TrainingListener stopAfterStep(long stopStep) {
    return new TrainingListener() {
      private long steps;

      @Override
      public void onStep(StepProgress progress) {
        steps = progress.step();
      }

      @Override
      public boolean stopRequested() {
        return steps >= stopStep;
      }
    };
  }

  private static Map<String, Tensor> state(TrainingRun run) {
    Map<String, Tensor> state = new java.util.LinkedHashMap<>();
    ParameterSnapshots.of(run.online().store()).forEach((name, t) -> state.put("online/" + name, t));
    ParameterSnapshots.of(run.target().store()).forEach((name, t) -> state.put("target/" + name, t));
    run.optimiser().state().forEach((name, array) ->
        state.put("adam/" + name, ParameterSnapshots.of(array)));
    return state;
  }

  private static void assertSameState(Map<String, Tensor> actual, Map<String, Tensor> expected) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      float[] actualValues = actual.get(name).values();
      float[] expectedValues = expected.get(name).values();
      assertThat(actualValues).as(name).hasSameSizeAs(expectedValues);
      for (int i = 0; i < expectedValues.length; i++) {
        assertThat(actualValues[i]).as("%s[%d]", name, i)
            .isCloseTo(expectedValues[i], within(TOLERANCE));
      }
    }
  }
}
