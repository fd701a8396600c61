package org.byov.common.task;

import java.util.UUID;

/**
 * The orchestrator replied 409: this worker's claim on the task is no longer valid (its lease
 * expired and another claim superseded it, or the task finished). The worker must stop working on
 * the task and must not call the orchestrator about it again.
 */
public class LeaseLostException extends RuntimeException {

  private final UUID taskId;

  public LeaseLostException(UUID taskId, String detail) {
    super("Lost the lease on task " + taskId + ": " + detail);
    this.taskId = taskId;
  }

  public UUID taskId() {
    return taskId;
  }
}
