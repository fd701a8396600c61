package org.byov.orchestrator.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Rows of {@code runs}, {@code run_events} and {@code run_metrics}. */
@Repository
public class RunRepository {

  private static final Logger log = LoggerFactory.getLogger(RunRepository.class);

  private static final String RUN_COLUMNS =
      "id, caller, model_name, method, status, spec::text AS spec, cancel_requested,"
          + " current_epoch, latest_metrics::text AS latest_metrics, artifact_uri, evaluation_id,"
          + " model_version, error, waiting_stage, checkpoints_deleted_at, created_at, updated_at,"
          + " started_at, finished_at";

  private final JdbcTemplate jdbc;
  private final MeterRegistry meters;

  public RunRepository(JdbcTemplate jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /** Inserts a QUEUED run and its first event. */
  public void insert(UUID id, String caller, String modelName, String method, String specJson) {
    jdbc.update(
        "INSERT INTO runs (id, caller, model_name, method, status, spec)"
            + " VALUES (?, ?, ?, ?, 'QUEUED', ?::jsonb)",
        id,
        caller,
        modelName,
        method,
        specJson);
    event(id, "CREATED", "Run created by " + caller + " for model " + modelName);
  }

  public Optional<RunRow> find(UUID id) {
    return jdbc.query("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?", RUN_ROW, id).stream()
        .findFirst();
  }

  /** Returns one page of runs, newest first, optionally filtered by status and method. */
  public List<RunRow> list(RunStatus status, String method, int page, int size) {
    List<Object> arguments = new ArrayList<>();
    String where = where(status, method, arguments);
    arguments.add(size);
    arguments.add((long) page * size);
    return jdbc.query(
        "SELECT " + RUN_COLUMNS + " FROM runs" + where
            + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        RUN_ROW,
        arguments.toArray());
  }

  /** Counts the runs the same filter matches. */
  public long count(RunStatus status, String method) {
    List<Object> arguments = new ArrayList<>();
    String where = where(status, method, arguments);
    return jdbc.queryForObject("SELECT count(*) FROM runs" + where, Long.class, arguments.toArray());
  }

  /** Moves a QUEUED or TRAINING run to EVALUATING. */
  public void markEvaluating(UUID id) {
    int changed =
        jdbc.update(
            "UPDATE runs SET status = 'EVALUATING', started_at = coalesce(started_at, now()),"
                + " updated_at = now() WHERE id = ? AND status IN ('QUEUED', 'TRAINING')",
            id);
    if (changed == 1) {
      event(id, "EVALUATING", "Training finished; evaluation queued");
    }
  }

  /** Stores the trained model's URI. */
  public void setArtifact(UUID id, String artifactUri) {
    jdbc.update("UPDATE runs SET artifact_uri = ?, updated_at = now() WHERE id = ?", artifactUri, id);
  }

  /** Stores the evaluation id. */
  public void setEvaluation(UUID id, UUID evaluationId) {
    jdbc.update(
        "UPDATE runs SET evaluation_id = ?, updated_at = now() WHERE id = ?", evaluationId, id);
  }

  /** Notes the stage whose task the run's job waits for; null clears it. */
  public void setWaitingStage(UUID id, String stage) {
    jdbc.update("UPDATE runs SET waiting_stage = ? WHERE id = ?", stage, id);
  }

  /** Clears the waiting stage if it is still {@code stage}; returns whether it did. */
  public boolean clearWaitingStage(UUID id, String stage) {
    return jdbc.update(
            "UPDATE runs SET waiting_stage = NULL WHERE id = ? AND waiting_stage = ?", id, stage)
        == 1;
  }

  /** Flags a cancel request; returns false when the run is already terminal. */
  public boolean requestCancel(UUID id, String caller) {
    int changed =
        jdbc.update(
            "UPDATE runs SET cancel_requested = true, updated_at = now() WHERE id = ?"
                + " AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')",
            id);
    if (changed == 1) {
      event(id, "CANCEL_REQUESTED", "Cancel requested by " + caller);
    }
    return changed == 1;
  }

  /**
   * Moves a run into a terminal state unless it is in one already, logs it, counts the outcome
   * and drops the run's owner lease. Returns whether the run changed.
   */
  public boolean finish(UUID id, RunStatus status, String error) {
    int changed =
        jdbc.update(
            "UPDATE runs SET status = ?, error = ?, finished_at = now(), updated_at = now(),"
                + " waiting_stage = NULL"
                + " WHERE id = ? AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')",
            status.name(),
            error,
            id);
    if (changed == 1) {
      event(id, status.name(), error == null ? "Run " + status.name().toLowerCase() : error);
      jdbc.update("DELETE FROM run_owners WHERE run_id = ?", id);
      Counter.builder("byov.runs.finished")
          .description("Runs that reached a terminal state")
          .tag("state", status.name())
          .register(meters)
          .increment();
      log.info("Run {} finished as {}{}", id, status, error == null ? "" : ": " + error);
    }
    return changed == 1;
  }

  /** Records the registered model version of a run. */
  public void setModelVersion(UUID id, int version) {
    jdbc.update("UPDATE runs SET model_version = ?, updated_at = now() WHERE id = ?", version, id);
  }

  /** Marks the run's checkpoints deleted. */
  public void markCheckpointsDeleted(UUID id) {
    jdbc.update(
        "UPDATE runs SET checkpoints_deleted_at = now(), updated_at = now() WHERE id = ?", id);
  }

  /** Appends an event to the run's log. */
  public void event(UUID id, String type, String message) {
    jdbc.update(
        "INSERT INTO run_events (run_id, type, message) VALUES (?, ?, ?)", id, type, message);
  }

  /** Returns the run's events in order. */
  public List<RunEvent> events(UUID id) {
    return jdbc.query(
        "SELECT at, type, message FROM run_events WHERE run_id = ? ORDER BY id",
        (rs, i) -> new RunEvent(instant(rs, "at"), rs.getString("type"), rs.getString("message")),
        id);
  }

  /** Returns the per-epoch metrics as (epoch, JSON text), by epoch. */
  public List<EpochMetricsRow> metrics(UUID id) {
    return jdbc.query(
        "SELECT epoch, metrics::text AS metrics, recorded_at FROM run_metrics WHERE run_id = ?"
            + " ORDER BY epoch",
        (rs, i) ->
            new EpochMetricsRow(rs.getInt("epoch"), rs.getString("metrics"), instant(rs, "recorded_at")),
        id);
  }

  private static String where(RunStatus status, String method, List<Object> arguments) {
    List<String> clauses = new ArrayList<>();
    if (status != null) {
      clauses.add("status = ?");
      arguments.add(status.name());
    }
    if (method != null) {
      clauses.add("method = ?");
      arguments.add(method);
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static final RowMapper<RunRow> RUN_ROW =
      (rs, i) ->
          new RunRow(
              rs.getObject("id", UUID.class),
              rs.getString("caller"),
              rs.getString("model_name"),
              rs.getString("method"),
              RunStatus.valueOf(rs.getString("status")),
              rs.getString("spec"),
              rs.getBoolean("cancel_requested"),
              (Integer) rs.getObject("current_epoch"),
              rs.getString("latest_metrics"),
              rs.getString("artifact_uri"),
              rs.getObject("evaluation_id", UUID.class),
              (Integer) rs.getObject("model_version"),
              rs.getString("error"),
              rs.getString("waiting_stage"),
              instant(rs, "checkpoints_deleted_at"),
              instant(rs, "created_at"),
              instant(rs, "updated_at"),
              instant(rs, "started_at"),
              instant(rs, "finished_at"));

  /** One entry of a run's event log. */
  public record RunEvent(Instant at, String type, String message) {}

  /** The stored metrics of one epoch. */
  public record EpochMetricsRow(int epoch, String metricsJson, Instant recordedAt) {}
}
