package org.byov.trainer.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.byov.core.checkpoint.CheckpointIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a staged model directory to {@code runs/{runId}/model/}. The caller confirms its lease
 * right before, so the rename is the only write to the shared model path and it is atomic: a
 * reader sees the old model or the new one, never a mix.
 */
public final class ModelPublisher {

  private static final Logger log = LoggerFactory.getLogger(ModelPublisher.class);

  private ModelPublisher() {}

  /** Replaces {@code target} by {@code staged} with renames on one file system. */
  public static void publish(Path staged, Path target) throws IOException {
    Path previous = null;
    if (Files.exists(target)) {
      previous = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    if (previous != null) {
      log.info("Replaced the model of an earlier attempt at {}", target);
      CheckpointIo.deleteRecursively(previous);
    }
  }

  /** Deletes a staged model that will not be published; failures are logged, not thrown. */
  public static void discard(Path staged) {
    try {
      if (Files.exists(staged)) {
        CheckpointIo.deleteRecursively(staged);
      }
    } catch (IOException e) {
      log.warn("Could not delete the unpublished model {}", staged, e);
    }
  }
}
