package org.byov.orchestrator.support;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Inserts rows directly, for queue tests that need tasks without a run's Batch job. */
public final class TestRows {

  /** A valid run spec in JSON, as a client would post it. */
  public static final String SPEC =
      """
      {"modelName":"queue-test","dataset":"fashion-mnist","method":"byov","epochs":1}""";

  private TestRows() {}

  /** Inserts a run in status TRAINING that no replica drives. */
  public static UUID insertRun(JdbcTemplate jdbc) {
    UUID runId = UUID.randomUUID();
    jdbc.update(
        "INSERT INTO runs (id, caller, model_name, method, status, spec)"
            + " VALUES (?, 'test', 'queue-test', 'byov', 'TRAINING', ?::jsonb)",
        runId,
        SPEC);
    return runId;
  }

  /** Inserts a queued task of the run for the given stage and kind; returns its id. */
  public static UUID insertTask(JdbcTemplate jdbc, UUID runId, String stage, String kind, int maxAttempts) {
    UUID taskId = UUID.randomUUID();
    jdbc.update(
        "INSERT INTO tasks (id, run_id, stage, kind, status, max_attempts)"
            + " VALUES (?, ?, ?, ?, 'QUEUED', ?)",
        taskId,
        runId,
        stage,
        kind,
        maxAttempts);
    return taskId;
  }
}
