package org.byov.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values are batch size times steps over summed seconds, computed by hand. */
class StepThroughputTest {

  private static final long MILLISECOND = 1_000_000L;

  @Test
  void noStepsGiveZero() {
    assertThat(new StepThroughput(16, 3).imagesPerSecond()).isZero();
  }

  @Test
  void oneStepIsBatchOverStepTime() {
    StepThroughput throughput = new StepThroughput(16, 3);

    throughput.add(500 * MILLISECOND);

    // 16 images / 0.5 s
    assertThat(throughput.imagesPerSecond()).isCloseTo(32.0, within(1e-9));
  }

  @Test
  void partialWindowAveragesItsSteps() {
    StepThroughput throughput = new StepThroughput(16, 3);

    throughput.add(500 * MILLISECOND);
    throughput.add(250 * MILLISECOND);

    // 2 x 16 images / 0.75 s
    assertThat(throughput.imagesPerSecond()).isCloseTo(32.0 / 0.75, within(1e-9));
  }

  @Test
  void fullWindowDropsOldestStep() {
    StepThroughput throughput = new StepThroughput(10, 3);

    throughput.add(1000 * MILLISECOND);
    throughput.add(100 * MILLISECOND);
    throughput.add(200 * MILLISECOND);
    throughput.add(200 * MILLISECOND);

    // The 1 s step has left: 3 x 10 images / 0.5 s
    assertThat(throughput.imagesPerSecond()).isCloseTo(60.0, within(1e-9));
  }

  @Test
  void invalidSizesRejected() {
    assertThatThrownBy(() -> new StepThroughput(0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new StepThroughput(16, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
