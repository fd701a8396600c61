package org.byov.core.ssl;

/**
 * The EMA rate of the target network per step, rising from a base to 1 on a cosine:
 * tau(k) = 1 - (1 - base) (cos(pi k / K) + 1) / 2, with k the global step and K the total steps.
 */
public final class TauSchedule {

  private TauSchedule() {}

  /** Returns tau at {@code step} of {@code totalSteps}; steps past the end give 1. */
  public static double tau(long step, long totalSteps, double base) {
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("totalSteps must be positive, got " + totalSteps);
    }
    if (base < 0 || base > 1) {
      throw new IllegalArgumentException("tau base must be in [0, 1], got " + base);
    }
    double progress = Math.min(1.0, Math.max(0.0, (double) step / totalSteps));
    return 1.0 - (1.0 - base) * (Math.cos(Math.PI * progress) + 1.0) / 2.0;
  }
}
