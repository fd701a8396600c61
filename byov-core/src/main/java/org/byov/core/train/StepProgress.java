package org.byov.core.train;

/**
 * Progress after one optimiser step, for progress bars and heartbeats.
 *
 * @param epoch 1-based epoch being trained
 * @param epochs total epochs of the run
 * @param stepInEpoch 1-based step within the epoch
 * @param stepsPerEpoch steps per epoch
 * @param step global steps completed
 * @param totalSteps total steps of the run
 * @param loss the step's objective
 */
public record StepProgress(int epoch, int epochs, long stepInEpoch, long stepsPerEpoch, long step,
    long totalSteps, double loss) {

  /** Returns the completed fraction of the run, 0..1. */
  public double fraction() {
    return (double) step / totalSteps;
  }
}
