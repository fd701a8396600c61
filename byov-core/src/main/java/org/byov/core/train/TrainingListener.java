package org.byov.core.train;

import java.nio.file.Path;

/**
 * Callbacks of a training run, all called on the training thread. {@link #stopRequested()} is
 * polled after every step: returning true makes the run write a checkpoint and return with status
 * {@link TrainingResult.Status#STOPPED}.
 */
public interface TrainingListener {

  /** Called after every optimiser step. */
  default void onStep(StepProgress progress) {}

  /** Called after every epoch, before its checkpoint is written. */
  default void onEpoch(EpochMetrics metrics) {}

  /** Called after a checkpoint directory has been written completely. */
  default void onCheckpoint(Path directory, int epoch, long step) {}

  /** Returns whether the run should stop at the next step boundary (cancel, shutdown). */
  default boolean stopRequested() {
    return false;
  }

  /** A listener that ignores every callback. */
  TrainingListener NONE = new TrainingListener() {};
}
