package org.byov.orchestrator.tasks;

/** Life cycle of a task row. */
public enum TaskStatus {
  /** Waiting for a claim. */
  QUEUED,
  /** Reserved for a Kubernetes Job whose pod has not claimed it yet. */
  DISPATCHED,
  /** Claimed by a worker that holds a lease. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Returns whether the task will not change again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
