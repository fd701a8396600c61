package org.byov.trainer.tasks;

/** The end of the worker's part in one claimed task. */
public enum TaskOutcome {
  /** The model is published and the task completed. */
  COMPLETED,
  /** A cancel was acknowledged after a checkpoint. */
  CANCELLED,
  /** The task was released for another worker after a checkpoint (shutdown). */
  RELEASED,
  /** The failure was reported; a retryable one is attempted again by the orchestrator. */
  FAILED,
  /** Another claim owns the task; the worker stopped without writing anything more. */
  LEASE_LOST
}
