package org.byov.inference.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.probe.LinearProbe;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;

/**
 * Model directories written with byov-core's own API: an untrained (randomly initialised) BYOV
 * model of the default CNN, exported as a training run exports its final model.
 */
public final class ExportedModels {

  private ExportedModels() {}

  /** Returns the installed Fashion-MNIST test split. */
  public static ImageSet fashionMnistTest() throws IOException {
    return DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TEST);
  }

  /** Exports an untrained default-scope BYOV model to {@code directory}. */
  public static Path export(Path directory) throws IOException {
    return export(directory, TrainingSpec.builder().build().seed());
  }

  /**
   * Exports an untrained default-scope BYOV model whose initial weights come from {@code seed},
   * so that models of different seeds give different embeddings.
   */
  public static Path export(Path directory, long seed) throws IOException {
    ImageSet images = fashionMnistTest();
    TrainingSpec spec = TrainingSpec.builder().trainSubset(64).batchSize(32).epochs(1).seed(seed)
        .build();
    try (TrainingRun run = TrainingRun.create(spec, images,
        new CropFlipAugmenter(Normalization.of(images), 2))) {
      run.exportModel(directory);
    }
    return directory;
  }

  /** Writes a 10-class linear probe fitted on random 256-dimensional features to {@code file}. */
  public static Path writeProbe(Path file) throws IOException {
    Random random = new Random(4);
    float[][] features = new float[200][256];
    int[] labels = new int[200];
    for (int i = 0; i < features.length; i++) {
      labels[i] = i % 10;
      for (int d = 0; d < 256; d++) {
        features[i][d] = (float) random.nextGaussian() + (d % 10 == labels[i] ? 1f : 0f);
      }
    }
    LinearProbe.train(features, labels, 10, LinearProbe.Options.defaults()).save(file);
    return file;
  }
}
