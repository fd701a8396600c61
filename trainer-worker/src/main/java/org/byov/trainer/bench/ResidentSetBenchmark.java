package org.byov.trainer.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.train.EpochMetrics;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import org.byov.trainer.config.DeviceSetting;
import org.byov.trainer.runtime.DeviceSelector;
import org.byov.trainer.runtime.NativeSettings;
import org.byov.trainer.runtime.TrainingThread;
import org.byov.trainer.training.Augmenters;

/**
 * The trainer's resident-set benchmark: trains a small run on the worker's code path (the same
 * augmenter, a checkpoint per epoch with retention) and reads {@code VmRSS} from
 * {@code /proc/self/status} after every epoch. It prints one line per epoch and the growth after
 * the first epoch, which must stay below 50 MB for the native memory to count as flat. Each line
 * also splits the memory by source ({@link MemorySnapshot}), so that a growth can be traced.
 *
 * <p>Usage: {@code ResidentSetBenchmark [epochs] [trainSubset] [batchSize] [checkpointDir]};
 * scripts/bench-trainer-rss.sh sets the JVM flags and the glibc variables as the launcher does.
 * {@code BYOV_DEVICE} selects the device as in the worker.
 */
public final class ResidentSetBenchmark {

  /** Growth of the resident set after the first epoch that the benchmark accepts, in MiB. */
  static final double TARGET_GROWTH_MIB = 50;

  private ResidentSetBenchmark() {}

  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int subset = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Path checkpoints =
        args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("byov-rss-bench");

    NativeSettings.apply(Integer.parseInt(System.getenv().getOrDefault("BYOV_THREADS", "2")));
    String deviceSetting = System.getenv().getOrDefault("BYOV_DEVICE", "cpu");
    Device device = DeviceSelector.select(DeviceSetting.valueOf(deviceSetting));
    TrainingThread.prepareCurrentThread();
    ImageSet train = DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TRAIN);
    TrainingSpec spec =
        TrainingSpec.builder()
            .epochs(epochs)
            .trainSubset(subset)
            .batchSize(batchSize)
            .warmupEpochs(1)
            .seed(1)
            .build();

    List<MemorySnapshot> snapshots = new ArrayList<>();
    System.out.printf(
        Locale.ROOT,
        "epoch,rss_mib,heap_committed_mib,jvm_nmt_mib,jvm_other_mib,metaspace_mib,code_mib,"
            + "outside_jvm_mib,direct_buffers_mib,direct_buffers,gc_count,live_arrays,live_arrays_mib,"
            + "loss,images_per_second%n");
    TrainingListener listener =
        new TrainingListener() {
          private EpochMetrics latest;

          @Override
          public void onEpoch(EpochMetrics metrics) {
            latest = metrics;
          }

          @Override
          public void onCheckpoint(Path directory, int epoch, long step) {
            MemorySnapshot memory = MemorySnapshot.take();
            snapshots.add(memory);
            System.out.printf(
                Locale.ROOT, "%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%.1f,%.4f,%.1f%n",
                epoch, memory.residentSetMib(), memory.heapCommittedMib(), memory.jvmTotalMib(),
                memory.jvmCategoryMib("Other"), memory.jvmCategoryMib("Class"),
                memory.jvmCategoryMib("Code"), memory.outsideJvmMib(), memory.directBuffersMib(),
                memory.directBufferCount(), memory.collections(), memory.liveArrays(),
                memory.liveArraysMib(), latest.totalLoss(), latest.imagesPerSecond());
          }
        };
    try (TrainingRun run = TrainingRun.create(spec, train, Augmenters.byolFor(train), device)) {
      run.train(listener, CheckpointTarget.under(checkpoints, 3));
    }

    double first = snapshots.get(0).residentSetMib();
    double max = snapshots.stream().mapToDouble(MemorySnapshot::residentSetMib).max().orElseThrow();
    double last = snapshots.get(snapshots.size() - 1).residentSetMib();
    System.out.printf(
        Locale.ROOT,
        "after epoch 1: %.1f MiB, last: %.1f MiB, max: %.1f MiB, growth after epoch 1: %.1f MiB"
            + " (max - first; target < %.0f MiB)%n",
        first, last, max, max - first, TARGET_GROWTH_MIB);
  }
}
