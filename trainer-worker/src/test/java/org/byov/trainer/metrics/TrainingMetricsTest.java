package org.byov.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.byov.core.bayes.Snr;
import org.byov.core.train.EpochMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gauges of one task, read from the registry that Prometheus scrapes. A collapsed epoch below
 * has embedding std 0.001, under the threshold 0.1 / sqrt(128) = 0.0088, and the other 0.05.
 */
class TrainingMetricsTest {

  private static final String LAYER = "encoder.embedding";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TrainingMetrics metrics = new TrainingMetrics(registry);

  private static EpochMetrics epoch(int epoch, boolean collapsed) {
    return new EpochMetrics(
        epoch, 4L * epoch, 1.5, null, 4.0, 0.5, 3.5, 1e-3, 0.99, collapsed ? 0.001 : 0.05,
        0.1 / Math.sqrt(128), collapsed,
        List.of(new Snr.Summary(LAYER, 65_536, 12.0, 10.0, 2.0, 30.0, 0.1, 80.0)), 64.0);
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @BeforeEach
  void runOneStepAndEpoch() {
    metrics.recordStep("byov", "cpu", Duration.ofMillis(250), 16);
    metrics.recordEpoch(epoch(1, true));
  }

  @Test
  void epochPublishesTaskValues() {
    assertThat(gauge("byov.train.collapse")).isEqualTo(1.0);
    // 16 images / 0.25 s
    assertThat(gauge("byov.train.images.per.second", "device", "cpu")).isEqualTo(64.0);
    // beta * KL per example = 0.5 x 4.0
    assertThat(gauge("byov.train.loss", "component", "kl")).isEqualTo(2.0);
    assertThat(gauge("byov.train.loss", "component", "byol")).isEqualTo(1.5);
    assertThat(gauge("byov.train.loss", "component", "total")).isEqualTo(3.5);
    assertThat(gauge("byov.train.snr", "layer", LAYER, "statistic", "median")).isEqualTo(10.0);
    assertThat(gauge("byov.train.embedding.std")).isEqualTo(0.001);
  }

  @Test
  void clearTaskValuesEndsCollapseAndThroughput() {
    metrics.clearTaskValues();

    assertThat(gauge("byov.train.collapse")).isEqualTo(0.0);
    assertThat(gauge("byov.train.images.per.second", "device", "cpu")).isEqualTo(0.0);
  }

  @Test
  void clearTaskValuesLeavesNoLossOrSnr() {
    metrics.clearTaskValues();

    for (String component : List.of("byol", "kl", "total")) {
      assertThat(gauge("byov.train.loss", "component", component)).as("loss %s", component).isNaN();
    }
    for (String statistic : List.of("mean", "median")) {
      assertThat(gauge("byov.train.snr", "layer", LAYER, "statistic", statistic))
          .as("SNR %s of %s", statistic, LAYER)
          .isNaN();
    }
    assertThat(gauge("byov.train.embedding.std")).isNaN();
  }

  @Test
  void clearTaskValuesKeepsStepTimer() {
    metrics.clearTaskValues();

    assertThat(registry.get("byov.train.step").timer().count()).isEqualTo(1L);
  }

  @Test
  void nextTaskReplacesClearedValues() {
    metrics.clearTaskValues();

    metrics.recordEpoch(epoch(1, false));

    assertThat(gauge("byov.train.collapse")).isEqualTo(0.0);
    assertThat(gauge("byov.train.loss", "component", "total")).isEqualTo(3.5);
    assertThat(gauge("byov.train.embedding.std")).isEqualTo(0.05);
  }
}
