package org.byov.orchestrator.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.TaskResult;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluation history of model versions in {@code model_evaluations}, and the latest
 * evaluation that {@code model_versions} shows. The caller holds the model's registry lock.
 */
@Repository
class ModelEvaluations {

  /** Origin of an evaluation of a version. */
  enum Source {
    /** The evaluation of the run that registered the version. */
    REGISTRATION,
    /** A successful {@code :evaluate} of the registered version. */
    ON_DEMAND
  }

  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final JsonMapper json;

  ModelEvaluations(JdbcTemplate jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Appends an evaluation to the version's history.
   *
   * @param taskId the on-demand EVAL task, or null for the registration's evaluation
   */
  void append(String name, int version, Source source, UUID taskId, TaskResult result) {
    jdbc.update(
        """
        INSERT INTO model_evaluations (model_name, version, source, evaluation_id, task_id, metrics,
                                       abstain_threshold, report_uri)
        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
        """,
        name,
        version,
        source.name(),
        result.evaluationId(),
        taskId,
        json.writeValueAsString(result.headlineMetrics()),
        result.abstainThreshold(),
        result.reportUri());
  }

  /** Makes the version show this evaluation's id, headline metrics and abstain threshold. */
  void show(String name, int version, TaskResult result) {
    jdbc.update(
        """
        UPDATE model_versions
        SET evaluation_id = ?, metrics = ?::jsonb, abstain_threshold = ?, evaluated_at = now()
        WHERE model_name = ? AND version = ?
        """,
        result.evaluationId(),
        json.writeValueAsString(result.headlineMetrics()),
        result.abstainThreshold(),
        name,
        version);
  }

  /** Returns the version's evaluations, newest first. The first one is what the version shows. */
  List<VersionEvaluationView> history(String name, int version) {
    return jdbc.query(
        """
        SELECT source, evaluation_id, task_id, metrics::text AS metrics, abstain_threshold,
               report_uri, evaluated_at, row_number() OVER (ORDER BY id DESC) = 1 AS current
        FROM model_evaluations WHERE model_name = ? AND version = ? ORDER BY id DESC
        """,
        (rs, i) ->
            new VersionEvaluationView(
                rs.getString("source"),
                rs.getObject("evaluation_id", UUID.class),
                rs.getObject("task_id", UUID.class),
                json.readValue(rs.getString("metrics"), METRICS),
                (Double) rs.getObject("abstain_threshold"),
                rs.getString("report_uri"),
                instant(rs, "evaluated_at"),
                rs.getBoolean("current")),
        name,
        version);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
