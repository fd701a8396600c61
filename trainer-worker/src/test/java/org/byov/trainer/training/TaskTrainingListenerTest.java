package org.byov.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.byov.core.train.StepProgress;
import org.byov.trainer.metrics.TrainingMetrics;
import org.byov.trainer.tasks.TaskControl;
import org.junit.jupiter.api.Test;

/**
 * Step times come from a clock the test sets, so the expected throughputs are computed by hand
 * from the batch size and those times.
 */
class TaskTrainingListenerTest {

  private static final long MILLISECOND = 1_000_000L;
  private static final int BATCH = 16;

  private final AtomicLong clock = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TaskControl control = new TaskControl(UUID.randomUUID(), 3);
  // onStep neither posts metrics nor reads the reporter, so none is needed here.
  private final TaskTrainingListener listener =
      new TaskTrainingListener(
          control, null, new TrainingMetrics(registry), "byov", "cpu", BATCH, clock::get);

  private void step(long stepMillis, long globalStep) {
    clock.addAndGet(stepMillis * MILLISECOND);
    listener.onStep(new StepProgress(1, 3, globalStep, 4, globalStep, 12, 1.0));
  }

  @Test
  void heartbeatThroughputIsBatchOverMeanStepTime() {
    listener.startClock();

    step(500, 1);
    step(250, 2);

    // 2 steps x 16 images / (0.5 s + 0.25 s)
    assertThat(control.progress().imagesPerSecond()).isCloseTo(32.0 / 0.75, within(1e-9));
    assertThat(control.progress().step()).isEqualTo(2L);
    assertThat(control.progress().epoch()).isEqualTo(1);
  }

  @Test
  void heartbeatThroughputMatchesStepTimer() {
    listener.startClock();

    step(400, 1);
    step(300, 2);
    step(800, 3);

    Timer timer = registry.get("byov.train.step").tag("device", "cpu").timer();
    double fromTimer = timer.count() * BATCH / timer.totalTime(TimeUnit.SECONDS);
    assertThat(control.progress().imagesPerSecond()).isPositive();
    assertThat(control.progress().imagesPerSecond()).isCloseTo(fromTimer, within(1e-9));
    // 3 x 16 images / 1.5 s
    assertThat(control.progress().imagesPerSecond()).isCloseTo(32.0, within(1e-9));
  }

  @Test
  void gaugeShowsLatestStepOnly() {
    listener.startClock();

    step(500, 1);
    step(250, 2);

    // 16 images / 0.25 s
    assertThat(registry.get("byov.train.images.per.second").gauge().value())
        .isCloseTo(64.0, within(1e-9));
  }

  @Test
  void setUpTimeBeforeStartClockNotCounted() {
    clock.addAndGet(60_000 * MILLISECOND);
    listener.startClock();

    step(500, 1);

    // 16 images / 0.5 s, without the minute spent before startClock
    assertThat(control.progress().imagesPerSecond()).isCloseTo(32.0, within(1e-9));
  }
}
