package org.byov.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling until a deadline, instead of sleeping for a fixed time. */
public final class Poll {

  private Poll() {}

  /** Polls every 50 ms until {@code value} returns non-null, failing after {@code timeout}. */
  public static <T> T until(Duration timeout, String what, Supplier<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T result = value.get();
      if (result != null) {
        return result;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for " + what, e);
      }
    }
  }

  /** Polls until the condition holds. */
  public static void untilTrue(Duration timeout, String what, Supplier<Boolean> condition) {
    until(timeout, what, () -> condition.get() ? Boolean.TRUE : null);
  }
}
