package org.byov.core.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a call to {@link TrainingRun#train} ended.
 *
 * @param status whether every epoch ran or the run stopped early on request
 * @param epochsCompleted completed epochs
 * @param step global optimiser steps completed
 * @param metrics metrics of every completed epoch, including those before a resume
 * @param lastCheckpoint the newest checkpoint written by this call, or null if none
 */
public record TrainingResult(Status status, int epochsCompleted, long step,
    List<EpochMetrics> metrics, Path lastCheckpoint) {

  /** How the run ended. */
  public enum Status {
    COMPLETED,
    STOPPED
  }

  public TrainingResult {
    metrics = List.copyOf(metrics);
  }
}
