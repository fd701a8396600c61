package org.byov.orchestrator.runs;

/** Life cycle of a run: QUEUED, TRAINING, EVALUATING, then one of the three terminal states. */
public enum RunStatus {
  QUEUED,
  TRAINING,
  EVALUATING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Returns whether the run will not change state again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
