package org.byov.core.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.model.TrainedModel;
import org.byov.core.probe.LinearProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byov probe}: fits a linear probe (multinomial logistic regression, L2 strength chosen on a
 * validation split of the training images) on frozen mean embeddings and prints its top-1
 * accuracy on the test split.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = "Print the linear-probe accuracy of a model or checkpoint directory.")
public final class ProbeCommand implements Callable<Integer> {

  @Option(names = "--checkpoint", required = true,
      description = "Model directory or checkpoint directory.")
  Path checkpoint;

  @Option(names = "--dataset", description = "Dataset name or path (default: the model's training dataset).")
  String dataset;

  @Option(names = "--data-root", description = "Dataset root (default: $BYOV_DATA_ROOT or ~/.byov/datasets).")
  Path dataRoot;

  @Option(names = "--train-images", description = "Training images for the probe, the first N (default: ${DEFAULT-VALUE}).")
  int trainImages = 10_000;

  @Option(names = "--test-images", description = "Test images to score, the first N (default: all).")
  Integer testImages;

  @Option(names = "--batch-size", description = "Images per embedding batch (default: ${DEFAULT-VALUE}).")
  int batchSize = 256;

  @Override
  public Integer call() throws Exception {
    try (TrainedModel model = TrainedModel.load(checkpoint)) {
      DatasetRegistry registry = dataRoot == null
          ? DatasetRegistry.fromEnvironment()
          : new DatasetRegistry(dataRoot);
      String name = dataset == null ? model.spec().dataset() : dataset;
      ImageSet train = first(registry.load(name, DatasetSplit.TRAIN), trainImages);
      ImageSet test = registry.load(name, DatasetSplit.TEST);
      if (testImages != null) {
        test = first(test, testImages);
      }

      float[][] trainEmbeddings = model.meanEmbeddings(train, batchSize);
      float[][] testEmbeddings = model.meanEmbeddings(test, batchSize);
      LinearProbe probe = LinearProbe.train(trainEmbeddings, train.labels(),
          train.classNames().size(), LinearProbe.Options.defaults());
      double accuracy = probe.accuracy(testEmbeddings, test.labels());

      System.out.printf(Locale.ROOT,
          "linear probe on %s: top-1 accuracy %.4f on %d test images (%d training images, L2 %.0e)%n",
          name, accuracy, test.count(), train.count(), probe.l2());
      return 0;
    }
  }

  /** Returns the first {@code count} images of {@code set} (all when it has fewer). */
  static ImageSet first(ImageSet set, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("The image count must be at least 1, got " + count);
    }
    if (count >= set.count()) {
      return set;
    }
    return new ImageSet(set.name() + "[0:" + count + "]", count, set.channels(), set.height(),
        set.width(), Arrays.copyOf(set.pixels(), count * set.imageSize()),
        Arrays.copyOf(set.labels(), count), set.classNames(), set.fingerprint());
  }
}
