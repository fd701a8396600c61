package org.byov.core.checkpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a training run writes its checkpoints and which of them it keeps. The services map this
 * onto {@code runs/{runId}/train/attempt-{n}/epoch-{e}/}; {@link #under(Path, int)} is the plain
 * layout of one directory.
 */
public interface CheckpointTarget {

  /**
   * Returns the directory for a checkpoint after {@code epoch} completed epochs and {@code step}
   * global steps; {@code endOfEpoch} is false for a checkpoint written on a stop request.
   */
  Path directoryFor(int epoch, long step, boolean endOfEpoch);

  /** Directories whose checkpoints count towards retention (all attempts of a run). */
  List<Path> retentionRoots();

  /** How many of the newest checkpoints under {@link #retentionRoots()} to keep. */
  int keep();

  /**
   * Returns the layout {@code root/epoch-{e}} at epoch ends and {@code root/epoch-{e}-step-{s}} on
   * a stop, keeping the newest {@code keep} checkpoints under {@code root}.
   */
  static CheckpointTarget under(Path root, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, got " + keep);
    }
    return new CheckpointTarget() {
      @Override
      public Path directoryFor(int epoch, long step, boolean endOfEpoch) {
        return root.resolve(endOfEpoch ? "epoch-" + epoch : "epoch-" + epoch + "-step-" + step);
      }

      @Override
      public List<Path> retentionRoots() {
        return List.of(root);
      }

      @Override
      public int keep() {
        return keep;
      }
    };
  }
}
