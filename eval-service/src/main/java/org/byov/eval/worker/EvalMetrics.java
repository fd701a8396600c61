package org.byov.eval.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The service's Micrometer meters: {@code byov.eval.duration} (a timer of every finished suite
 * run) and {@code byov.eval.finished} (a counter tagged by outcome).
 */
@Component
public class EvalMetrics {

  /** The end state of an EVAL task, the {@code outcome} tag. */
  public enum Outcome {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    LEASE_LOST("lease-lost"),
    /** Stopped at a stage boundary because the service shut down, and released. */
    RELEASED("released");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }
  }

  private final MeterRegistry registry;
  private final Timer duration;

  public EvalMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration = Timer.builder("byov.eval.duration")
        .description("Wall-clock time of one evaluation suite run")
        .register(registry);
  }

  /** Records the end of one task. */
  public void finished(Outcome outcome, Duration elapsed) {
    Counter.builder("byov.eval.finished")
        .description("EVAL tasks finished, by outcome")
        .tag("outcome", outcome.tag)
        .register(registry)
        .increment();
    if (outcome == Outcome.SUCCEEDED) {
      duration.record(elapsed);
    }
  }
}
