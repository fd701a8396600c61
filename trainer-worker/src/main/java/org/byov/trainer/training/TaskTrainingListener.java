package org.byov.trainer.training;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.byov.core.bayes.Snr;
import org.byov.core.train.EpochMetrics;
import org.byov.core.train.StepProgress;
import org.byov.core.train.TrainingListener;
import org.byov.trainer.metrics.TrainingMetrics;
import org.byov.trainer.tasks.EpochReporter;
import org.byov.trainer.tasks.TaskControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a training run to its task: each step updates the heartbeat progress (epoch, step and
 * the throughput of the latest steps) and the step meters, each epoch posts its metrics to the
 * orchestrator, and the run stops at the next step once {@link TaskControl} holds a stop reason
 * (cancel, shutdown or lost lease). A step's time is the wall time since the previous step ended,
 * so it includes augmentation, and for the first step of an epoch the previous checkpoint.
 */
final class TaskTrainingListener implements TrainingListener {

  private static final Logger log = LoggerFactory.getLogger(TaskTrainingListener.class);

  private final TaskControl control;
  private final EpochReporter reporter;
  private final TrainingMetrics metrics;
  private final String method;
  private final String device;
  private final int batchSize;
  private final StepThroughput throughput;
  private final LongSupplier nanoClock;
  private long lastStepNanos;

  TaskTrainingListener(
      TaskControl control,
      EpochReporter reporter,
      TrainingMetrics metrics,
      String method,
      String device,
      int batchSize) {
    this(control, reporter, metrics, method, device, batchSize, System::nanoTime);
  }

  /** Creates a listener that reads step times from {@code nanoClock}, as tests need. */
  TaskTrainingListener(
      TaskControl control,
      EpochReporter reporter,
      TrainingMetrics metrics,
      String method,
      String device,
      int batchSize,
      LongSupplier nanoClock) {
    this.control = control;
    this.reporter = reporter;
    this.metrics = metrics;
    this.method = method;
    this.device = device;
    this.batchSize = batchSize;
    this.throughput = new StepThroughput(batchSize, StepThroughput.DEFAULT_WINDOW);
    this.nanoClock = nanoClock;
    this.lastStepNanos = nanoClock.getAsLong();
  }

  /** Restarts the step clock, so that set-up time is not counted as the first step's. */
  void startClock() {
    lastStepNanos = nanoClock.getAsLong();
  }

  @Override
  public void onStep(StepProgress progress) {
    long now = nanoClock.getAsLong();
    Duration elapsed = Duration.ofNanos(now - lastStepNanos);
    lastStepNanos = now;
    metrics.recordStep(method, device, elapsed, batchSize);
    throughput.add(elapsed.toNanos());
    control.progress(progress.epoch(), progress.step(), throughput.imagesPerSecond());
  }

  @Override
  public void onEpoch(EpochMetrics epoch) {
    metrics.recordEpoch(epoch);
    reporter.post(epoch.epoch(), values(epoch));
    log.info(
        "Epoch {} done: loss {}, KL per example {}, embedding std {}, {} images/s",
        epoch.epoch(), epoch.totalLoss(), epoch.klPerExample(), epoch.embeddingStd(),
        Math.round(epoch.imagesPerSecond()));
  }

  @Override
  public boolean stopRequested() {
    return control.stopRequested();
  }

  /**
   * Returns the values posted to the orchestrator's per-epoch history. A non-finite value (a
   * diverged loss) is left out, because JSON has no NaN or infinity.
   */
  static Map<String, Double> values(EpochMetrics epoch) {
    Map<String, Double> values = new LinkedHashMap<>();
    put(values, "loss", epoch.totalLoss());
    put(values, "byolLoss", epoch.byolLoss());
    put(values, "crossEntropy", epoch.crossEntropy());
    put(values, "kl", epoch.klPerExample());
    put(values, "klWeight", epoch.klWeight());
    put(values, "lr", epoch.learningRate());
    put(values, "tau", epoch.tau());
    put(values, "embeddingStd", epoch.embeddingStd());
    put(values, "collapseAlert", epoch.collapseAlert() ? 1.0 : 0.0);
    put(values, "imagesPerSecond", epoch.imagesPerSecond());
    put(values, "step", (double) epoch.step());
    for (Snr.Summary snr : epoch.snr()) {
      put(values, "snrMean." + snr.layer(), snr.mean());
      put(values, "snrMedian." + snr.layer(), snr.median());
    }
    return values;
  }

  private static void put(Map<String, Double> values, String name, Double value) {
    if (value != null && Double.isFinite(value)) {
      values.put(name, value);
    }
  }
}
