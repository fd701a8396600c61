package org.byov.trainer.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.byov.core.bayes.Snr;
import org.byov.core.train.EpochMetrics;
import org.springframework.stereotype.Component;

/**
 * The trainer's Micrometer meters, named as in docs/conventions.md: {@code byov.train.step}
 * (timer with a histogram, tags {@code method} and {@code device}), {@code
 * byov.train.images.per.second} ({@code device}), {@code byov.train.loss} ({@code component}:
 * byol, kl, total), {@code byov.train.snr} ({@code layer}, {@code statistic}: mean, median),
 * {@code byov.train.embedding.std} and {@code byov.train.collapse}. Layer names come from the
 * network definition, so the {@code layer} tag is bounded; no run or task id is ever a tag.
 *
 * <p>Every gauge describes the task in progress. {@link #clearTaskValues()} resets them when the
 * task ends, so that an idle queue-mode trainer does not report its previous run. The step timer
 * counts every step the process has run and is never reset.
 */
@Component
public class TrainingMetrics {

  /** Gauges that read 0 between tasks. Every other gauge reads NaN between tasks. */
  private static final Set<String> IDLE_AS_ZERO =
      Set.of("byov.train.collapse", "byov.train.images.per.second");

  private final MeterRegistry registry;
  private final Map<String, Timer> stepTimers = new ConcurrentHashMap<>();
  private final Map<String, TaskGauge> gauges = new ConcurrentHashMap<>();

  public TrainingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one optimiser step: its wall time and the throughput it implies. */
  public void recordStep(String method, String device, Duration elapsed, int images) {
    Timer timer =
        stepTimers.computeIfAbsent(
            method + "|" + device,
            key ->
                Timer.builder("byov.train.step")
                    .description("Wall time of one optimiser step, data preparation included")
                    .tag("method", method)
                    .tag("device", device)
                    .publishPercentileHistogram()
                    .register(registry));
    timer.record(elapsed);
    double seconds = elapsed.toNanos() / 1e9;
    if (seconds > 0) {
      gauge("byov.train.images.per.second", "Training throughput of the latest step", "device", device)
          .set(images / seconds);
    }
  }

  /**
   * Publishes the values of a finished epoch. The {@code kl} loss component is the KL term as
   * the objective adds it, beta * KL / N_train, so that byol + kl is the total for BYOV.
   */
  public void recordEpoch(EpochMetrics metrics) {
    if (metrics.byolLoss() != null) {
      loss("byol").set(metrics.byolLoss());
    }
    loss("kl").set(metrics.klWeight() * metrics.klPerExample());
    loss("total").set(metrics.totalLoss());
    for (Snr.Summary summary : metrics.snr()) {
      snr(summary.layer(), "mean").set(summary.mean());
      snr(summary.layer(), "median").set(summary.median());
    }
    gauge("byov.train.embedding.std", "Mean per-dimension std of the normalised embeddings")
        .set(metrics.embeddingStd());
    gauge("byov.train.collapse", "1 while the embedding std is below the collapse threshold")
        .set(metrics.collapseAlert() ? 1 : 0);
  }

  /**
   * Resets every gauge once a task has ended, whether it completed, failed, was cancelled, lost
   * its lease or was released. The collapse flag and the throughput become 0, because an idle
   * trainer has no collapsed representation and trains no images, so
   * {@code ByovRepresentationCollapse} resolves. The losses, the embedding std and the SNR become
   * NaN ("no value"), because 0 would read as a real loss or SNR. Each gauge keeps its series, and
   * the next task's values replace these.
   */
  public void clearTaskValues() {
    for (TaskGauge gauge : gauges.values()) {
      gauge.value().set(IDLE_AS_ZERO.contains(gauge.name()) ? 0 : Double.NaN);
    }
  }

  private AtomicDouble loss(String component) {
    return gauge("byov.train.loss", "Loss component of the latest epoch", "component", component);
  }

  private AtomicDouble snr(String layer, String statistic) {
    return gauge(
        "byov.train.snr", "Signal-to-noise ratio |mu| / sigma of a Bayesian layer",
        "layer", layer, "statistic", statistic);
  }

  private AtomicDouble gauge(String name, String description, String... tags) {
    String key = name + "|" + String.join("|", tags);
    TaskGauge gauge =
        gauges.computeIfAbsent(
            key,
            ignored -> {
              AtomicDouble value = new AtomicDouble();
              Gauge.builder(name, value, AtomicDouble::get)
                  .description(description)
                  .tags(tags)
                  .register(registry);
              return new TaskGauge(name, value);
            });
    return gauge.value();
  }

  /** A registered gauge: its meter name and the value it reads. */
  private record TaskGauge(String name, AtomicDouble value) {}

  /** A double that a gauge reads while the training thread writes it. */
  static final class AtomicDouble {
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

    void set(double value) {
      bits.set(Double.doubleToLongBits(value));
    }

    double get() {
      return Double.longBitsToDouble(bits.get());
    }
  }
}
