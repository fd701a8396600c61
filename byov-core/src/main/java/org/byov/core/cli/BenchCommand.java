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
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.ssl.augment.ViewAugmenter;
import org.byov.core.train.Method;
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

  @Option(names = "--rounds", description = "Rounds; each times both methods, alternating which goes first (default: ${DEFAULT-VALUE}).")
  int rounds = 2;

  @Option(names = "--dataset", description = "Dataset name or path (default: ${DEFAULT-VALUE}).")
  String dataset = TrainingSpec.DEFAULT_DATASET;

  @Option(names = "--data-root", description = "Dataset root (default: $BYOV_DATA_ROOT or ~/.byov/datasets).")
  Path dataRoot;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmupSteps < 0 || rounds < 1) {
      throw new IllegalArgumentException(
          "--steps and --rounds must be at least 1 and --warmup-steps at least 0");
    }
    DatasetRegistry registry = dataRoot == null
        ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(dataRoot);
    ImageSet train = registry.load(dataset, DatasetSplit.TRAIN);
    ViewAugmenter augmenter = ByolAugmenter.forTrainingSet(train);

    Map<Method, List<Double>> times = new LinkedHashMap<>();
    times.put(Method.BYOV, new ArrayList<>());
    times.put(Method.BYOL, new ArrayList<>());
    for (int round = 0; round < rounds; round++) {
      List<Method> order = round % 2 == 0
          ? List.of(Method.BYOV, Method.BYOL)
          : List.of(Method.BYOL, Method.BYOV);
      for (Method method : order) {
        times.get(method).addAll(stepSeconds(method, train, augmenter));
      }
    }
    Map<Method, Double> medians = new LinkedHashMap<>();
    for (Map.Entry<Method, List<Double>> entry : times.entrySet()) {
      double seconds = median(entry.getValue());
      medians.put(entry.getKey(), seconds);
      System.out.printf(Locale.ROOT,
          "%-5s batch %d: median step %.3f s over %d steps, %.1f images/s%n",
          entry.getKey().label(), batchSize, seconds, entry.getValue().size(), batchSize / seconds);
    }
    System.out.printf(Locale.ROOT, "BYOV / BYOL step time ratio: %.3f%n",
        medians.get(Method.BYOV) / medians.get(Method.BYOL));
    return 0;
  }

  private List<Double> stepSeconds(Method method, ImageSet train, ViewAugmenter augmenter)
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
    return times;
  }

  private static double median(List<Double> times) {
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
