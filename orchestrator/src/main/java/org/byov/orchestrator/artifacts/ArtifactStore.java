package org.byov.orchestrator.artifacts;

import java.util.UUID;

/**
 * Storage of run files. Layout: {@code runs/{runId}/train/attempt-{n}/epoch-{e}/} for
 * checkpoints and {@code runs/{runId}/model/} for the final model.
 */
public interface ArtifactStore {

  /**
   * Deletes every checkpoint of a run ({@code runs/{runId}/train/}) and keeps the final model.
   * Returns the number of files deleted; a run without checkpoints deletes nothing.
   */
  long deleteCheckpoints(UUID runId);
}
