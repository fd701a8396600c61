package org.byov.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.byov.core.data.ImageSet;
import org.byov.core.model.TrainedModel;
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingResult;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import org.byov.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short BYOV run on real Fashion-MNIST must give a better linear probe than the same network
 * at its random initialisation. Both models are exported from one {@link TrainingRun}, before and
 * after training, so architecture, seed and input normalisation are identical.
 *
 * <p>Run size and margin were chosen from measurements on 2026-12-04 (probe trained on the first
 * 10,000 training images, scored on the first 5,000 test images). Random initialisation scored
 * 0.773 (seed 1) and 0.780 (seed 2). After 10 epochs on 10,000 images the trained encoder scored
 * 0.836 (seed 1) and 0.832 (seed 2) at batch 128 and learning rate 3e-3, a gain of 5 to 6 points;
 * at batch 256 it gained 3.8 points with learning rate 3e-3 and 2.1 points with the default 1e-3.
 */
class ProbeAgainstRandomEncoderTest {

  private static final int TRAIN_SUBSET = 10_000;
  private static final int EPOCHS = 10;
  private static final int BATCH_SIZE = 128;
  private static final double LEARNING_RATE = 3e-3;
  private static final long SEED = 1L;
  private static final int PROBE_TRAIN_IMAGES = 10_000;
  private static final int PROBE_TEST_IMAGES = 5_000;
  /** Required gain in top-1 accuracy; about 3.5 standard errors of an accuracy near 0.8 on 5,000 images. */
  private static final double MARGIN = 0.02;

  @TempDir Path directory;

  @Test
  void trainedEncoderBeatsRandomInitialisation() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    ImageSet test = TestData.fashionMnistTest();
    TrainingSpec spec = TrainingSpec.builder()
        .trainSubset(TRAIN_SUBSET).epochs(EPOCHS).batchSize(BATCH_SIZE).learningRate(LEARNING_RATE)
        .seed(SEED).build();
    Path randomModel = directory.resolve("random");
    Path trainedModel = directory.resolve("trained");

    try (TrainingRun run = TrainingRun.create(spec, train, ByolAugmenter.forTrainingSet(train))) {
      run.exportModel(randomModel);
      TrainingResult result = run.train(TrainingListener.NONE, null);
      assertThat(result.status()).isEqualTo(TrainingResult.Status.COMPLETED);
      run.exportModel(trainedModel);
    }

    ImageSet probeTrain = first(train, PROBE_TRAIN_IMAGES);
    ImageSet probeTest = first(test, PROBE_TEST_IMAGES);
    double random = probeAccuracy(randomModel, probeTrain, probeTest);
    double trained = probeAccuracy(trainedModel, probeTrain, probeTest);
    System.out.printf(Locale.ROOT, "probe accuracy: random %.4f, trained %.4f (seed %d)%n",
        random, trained, SEED);

    assertThat(trained).isGreaterThan(random + MARGIN);
  }

  private static ImageSet first(ImageSet set, int count) {
    int[] indices = new int[Math.min(count, set.count())];
    Arrays.setAll(indices, i -> i);
    return set.subset(indices);
  }

  private static double probeAccuracy(Path modelDirectory, ImageSet probeTrain, ImageSet probeTest)
      throws Exception {
    try (TrainedModel model = TrainedModel.load(modelDirectory)) {
      float[][] trainEmbeddings = model.meanEmbeddings(probeTrain, 256);
      float[][] testEmbeddings = model.meanEmbeddings(probeTest, 256);
      LinearProbe probe = LinearProbe.train(trainEmbeddings, probeTrain.labels(),
          probeTrain.classNames().size(), LinearProbe.Options.defaults());
      return probe.accuracy(testEmbeddings, probeTest.labels());
    }
  }
}
