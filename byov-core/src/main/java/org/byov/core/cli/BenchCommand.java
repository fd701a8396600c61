package org.byov.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.train.CropFlipAugmenter;
import org.byov.core.train.Method;
import org.byov.core.train.Normalisation;
import org.byov.core.train.StepProgress;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byov bench}: times complete training steps (augmentation, forward, backward, AdamW and
 * EMA update) of BYOV with the default scope and of BYOL on the same backbone and data, and
 * prints the median step time, images per second and the BYOV / BYOL ratio.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time training steps of BYOV and BYOL and print their ratio.")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize = TrainingSpec.DEFAULT_BATCH_SIZE;

  @Option(names = "--steps", description = "Timed steps per method (default: ${DEFAULT-VALUE}).")
  int steps = 10;

  @Option(names = "--warmup-steps", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmupSteps = 3;

  @Option(names = "--dataset", description = "Dataset name or path (default: ${DEFAULT-VALUE}).")
  String dataset = TrainingSpec.DEFAULT_DATASET;

  @Option(names = "--data-root", description = "Dataset root (default: $BYOV_DATA_ROOT or ~/.byov/datasets).")
  Path dataRoot;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmupSteps < 0) {
      throw new IllegalArgumentException("--steps must be at least 1 and --warmup-steps at least 0");
    }
    DatasetRegistry registry = dataRoot == null
        ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(dataRoot);
    ImageSet train = registry.load(dataset, DatasetSplit.TRAIN);
    CropFlipAugmenter augmenter = new CropFlipAugmenter(
        Normalisation.measure(train, TrainCommand.NORMALISATION_IMAGES), TrainCommand.MAX_SHIFT);

    Map<Method, Double> medians = new LinkedHashMap<>();
    for (Method method : List.of(Method.BYOV, Method.BYOL)) {
      medians.put(method, medianStepSeconds(method, train, augmenter));
      double seconds = medians.get(method);
      System.out.printf(Locale.ROOT, "%-5s batch %d: median step %.3f s, %.1f images/s%n",
          method.label(), batchSize, seconds, batchSize / seconds);
    }
    System.out.printf(Locale.ROOT, "BYOV / BYOL step time ratio: %.3f%n",
        medians.get(Method.BYOV) / medians.get(Method.BYOL));
    return 0;
  }

  private double medianStepSeconds(Method method, ImageSet train, CropFlipAugmenter augmenter)
      throws Exception {
    int totalSteps = warmupSteps + steps;
    TrainingSpec spec = TrainingSpec.builder().method(method).batchSize(batchSize)
        .trainSubset(batchSize * totalSteps).epochs(1).warmupEpochs(0).dataset(dataset).build();
    List<Double> times = new ArrayList<>();
    try (TrainingRun run = TrainingRun.create(spec, train, augmenter)) {
      long[] last = {System.nanoTime()};
      run.train(new TrainingListener() {
        @Override
        public void onStep(StepProgress progress) {
          long now = System.nanoTime();
          if (progress.step() > warmupSteps) {
            times.add((now - last[0]) / 1e9);
          }
          last[0] = now;
        }
      }, null);
    }
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
