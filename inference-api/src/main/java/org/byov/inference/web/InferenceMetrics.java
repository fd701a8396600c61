package org.byov.inference.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The request-level metrics of the inference API: latency per endpoint with fixed SLO buckets,
 * the total embedding variance per image, and the count of abstained predictions.
 */
@Component
public class InferenceMetrics {

  /** Latency buckets, from 5 ms to 10 s. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final DistributionSummary variance;
  private final Counter abstained;

  public InferenceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.variance = DistributionSummary.builder("byov.inference.variance")
        .description("Total embedding variance per image")
        .serviceLevelObjectives(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100)
        .register(registry);
    this.abstained = Counter.builder("byov.inference.abstained")
        .description("Predictions whose max probability was below the abstain threshold")
        .register(registry);
  }

  /** Runs {@code work} and records its latency under {@code endpoint}, failures included. */
  public <T> T time(String endpoint, Supplier<T> work) {
    Timer timer = latency.computeIfAbsent(endpoint, key -> Timer.builder("byov.inference.latency")
        .description("Latency of inference requests")
        .tag("endpoint", key)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry));
    return timer.record(work);
  }

  public void recordVariance(double totalVariance) {
    variance.record(totalVariance);
  }

  public void recordAbstained() {
    abstained.increment();
  }
}
