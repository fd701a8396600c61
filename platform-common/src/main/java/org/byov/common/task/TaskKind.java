package org.byov.common.task;

/** The kind of work a task asks a worker to do. */
public enum TaskKind {
  /** Trains the run's model; claimed by the trainer-worker. */
  TRAIN,
  /** Evaluates a trained model; claimed by the eval-service. */
  EVAL
}
