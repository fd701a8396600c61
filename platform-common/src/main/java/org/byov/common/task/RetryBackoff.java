package org.byov.common.task;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff for task-protocol calls that failed on the network or with a 5xx: the n-th
 * wait is {@code min(max, initial * multiplier^(n-1))}, scaled by a random factor in [0.5, 1] so
 * that workers do not retry in lockstep.
 *
 * @param initial first wait
 * @param max longest wait
 * @param multiplier growth per retry, at least 1
 * @param maxAttempts calls in all, including the first; {@link Integer#MAX_VALUE} retries forever
 */
public record RetryBackoff(Duration initial, Duration max, double multiplier, int maxAttempts) {

  public RetryBackoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "RetryBackoff needs 0 <= initial <= max, got " + initial + " and " + max);
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("RetryBackoff multiplier must be >= 1, got " + multiplier);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("RetryBackoff maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  /**
   * Retries forever, from 200 ms up to 10 s between calls: a worker keeps its task through an
   * orchestrator restart and stops only when it loses the lease.
   */
  public static RetryBackoff untilLeaseLost() {
    return new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, Integer.MAX_VALUE);
  }

  /** Returns the wait before retry number {@code retry} (1 for the first retry). */
  public Duration delayBefore(int retry) {
    double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
    double capped = Math.min(millis, max.toMillis());
    double jittered = capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis((long) jittered);
  }
}
