package org.byov.trainer.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.trainer.artifacts.RunArtifacts;
import org.byov.trainer.tasks.TaskControl;

/**
 * Checkpoints of one claim: written under {@code runs/{runId}/train/attempt-{n}/}, with retention
 * over the attempts up to n only, so a worker never deletes a newer attempt's files. Asking for a
 * directory after the lease was lost throws {@link org.byov.common.task.LeaseLostException}, so no
 * checkpoint is written once another claim owns the task.
 */
final class AttemptCheckpoints implements CheckpointTarget {

  private final RunArtifacts artifacts;
  private final int attempt;
  private final int keep;
  private final TaskControl control;

  AttemptCheckpoints(RunArtifacts artifacts, int attempt, int keep, TaskControl control) {
    if (keep < 1) {
      throw new IllegalArgumentException("byov.worker.keep-checkpoints must be at least 1, got " + keep);
    }
    this.artifacts = artifacts;
    this.attempt = attempt;
    this.keep = keep;
    this.control = control;
  }

  @Override
  public Path directoryFor(int epoch, long step, boolean endOfEpoch) {
    control.requireLease();
    String name = endOfEpoch ? "epoch-" + epoch : "epoch-" + epoch + "-step-" + step;
    return artifacts.attemptDirectory(attempt).resolve(name);
  }

  @Override
  public List<Path> retentionRoots() {
    try {
      return artifacts.attemptDirectoriesUpTo(attempt);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the checkpoints of attempt " + attempt, e);
    }
  }

  @Override
  public int keep() {
    return keep;
  }
}
