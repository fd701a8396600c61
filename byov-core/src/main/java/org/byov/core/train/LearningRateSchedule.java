package org.byov.core.train;

/**
 * Linear warm-up from lr / warmupSteps to the peak lr, then cosine decay to 0 at the last step:
 * lr(t) = peak (t + 1) / W for t < W, else peak (1 + cos(pi (t - W) / (T - W))) / 2.
 *
 * @param peak peak learning rate per step
 * @param warmupSteps W, number of warm-up steps
 * @param totalSteps T, the run's total number of optimiser steps
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps) {

  public LearningRateSchedule {
    if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("Invalid schedule: warmupSteps = " + warmupSteps
          + ", totalSteps = " + totalSteps + "; need 0 <= warmupSteps <= totalSteps, totalSteps >= 1");
    }
  }

  /** Returns the learning rate of step {@code step} (0-based). */
  public double at(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    long decaySteps = totalSteps - warmupSteps;
    if (decaySteps == 0) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return peak * (1 + Math.cos(Math.PI * progress)) / 2;
  }
}
