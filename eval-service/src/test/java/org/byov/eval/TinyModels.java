package org.byov.eval;

import java.io.IOException;
import java.nio.file.Path;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.bayes.PriorKind;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.train.Method;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;

/** Real Fashion-MNIST models trained for a few steps, exported as model directories. */
final class TinyModels {

  private TinyModels() {}

  /** Trains {@code method} for 4 steps of 32 images and writes its model directory. */
  static Path train(Path directory, Method method, long seed) throws IOException {
    TrainingSpec.Builder spec = TrainingSpec.builder().method(method).trainSubset(128)
        .batchSize(32).epochs(1).seed(seed);
    if (method == Method.SUPERVISED_BBB) {
      // Supervised BBB has no teacher, so its prior is the standard normal.
      spec.prior(PriorKind.STANDARD_NORMAL).klWeight(0.05);
    }
    return train(directory, spec.build());
  }

  private static Path train(Path directory, TrainingSpec spec) throws IOException {
    ImageSet train = DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TRAIN);
    try (TrainingRun run = TrainingRun.create(spec, train,
        new CropFlipAugmenter(Normalization.of(train), 2))) {
      run.train(TrainingListener.NONE, null);
      run.exportModel(directory);
    }
    return directory;
  }
}
