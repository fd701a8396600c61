package org.byov.orchestrator.runs.job;

import java.util.List;
import java.util.UUID;
import org.byov.orchestrator.config.OrchestratorProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Owner leases in {@code run_owners}: which replica drives which run. Every statement is a single
 * conditional insert or update, so two replicas never both believe they own a run.
 */
@Repository
public class RunOwnership {

  private final JdbcTemplate jdbc;
  private final OrchestratorProperties properties;

  public RunOwnership(JdbcTemplate jdbc, OrchestratorProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /** Takes the lease of a run that has none; returns false when another launch already has it. */
  public boolean acquireNew(UUID runId) {
    return jdbc.update(
            """
            INSERT INTO run_owners (run_id, owner_id, lease_expires_at)
            VALUES (?, ?, now() + ? * interval '1 millisecond')
            ON CONFLICT (run_id) DO NOTHING
            """,
            runId,
            properties.replicaId(),
            properties.ownerLeasePeriod().toMillis())
        == 1;
  }

  /** Takes over the lease of a run if it has expired; returns whether this replica got it. */
  public boolean takeOverExpired(UUID runId) {
    return jdbc.update(
            """
            UPDATE run_owners SET owner_id = ?, acquired_at = now(),
                   lease_expires_at = now() + ? * interval '1 millisecond'
            WHERE run_id = ? AND lease_expires_at < now()
            """,
            properties.replicaId(),
            properties.ownerLeasePeriod().toMillis(),
            runId)
        == 1;
  }

  /** Renews the leases of every run this replica owns; returns how many. */
  public int renewOwned() {
    return jdbc.update(
        "UPDATE run_owners SET lease_expires_at = now() + ? * interval '1 millisecond'"
            + " WHERE owner_id = ?",
        properties.ownerLeasePeriod().toMillis(),
        properties.replicaId());
  }

  /** Lets the leases of this replica's runs expire now, so another replica takes them at once. */
  public int releaseOwned() {
    return jdbc.update(
        "UPDATE run_owners SET lease_expires_at = now() WHERE owner_id = ?", properties.replicaId());
  }

  /** Drops the lease of a run whose launch failed. */
  public void drop(UUID runId) {
    jdbc.update(
        "DELETE FROM run_owners WHERE run_id = ? AND owner_id = ?", runId, properties.replicaId());
  }

  /** Returns the active runs whose owner lease has expired. */
  public List<UUID> expired() {
    return jdbc.queryForList(
        """
        SELECT o.run_id FROM run_owners o JOIN runs r ON r.id = o.run_id
        WHERE o.lease_expires_at < now()
          AND r.status IN ('QUEUED', 'TRAINING', 'EVALUATING')
        ORDER BY o.lease_expires_at
        """,
        UUID.class);
  }

  /**
   * Returns the runs this replica owns whose job waits for a task that has finished (succeeded,
   * failed or cancelled). These jobs need a restart.
   */
  public List<WaitingRun> readyToResume() {
    return jdbc.query(
        """
        SELECT r.id, r.waiting_stage FROM runs r
        JOIN run_owners o ON o.run_id = r.id AND o.owner_id = ?
        JOIN tasks t ON t.run_id = r.id AND t.stage = r.waiting_stage
        WHERE r.status IN ('QUEUED', 'TRAINING', 'EVALUATING')
          AND t.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
        """,
        (rs, i) -> new WaitingRun(rs.getObject("id", UUID.class), rs.getString("waiting_stage")),
        properties.replicaId());
  }

  /** Returns the runs this replica owns that are still active. */
  public List<UUID> ownedActive() {
    return jdbc.queryForList(
        """
        SELECT o.run_id FROM run_owners o JOIN runs r ON r.id = o.run_id
        WHERE o.owner_id = ? AND r.status IN ('QUEUED', 'TRAINING', 'EVALUATING')
        """,
        UUID.class,
        properties.replicaId());
  }

  /** Returns active runs that no replica owns and that are older than one owner lease period. */
  public List<UUID> orphans() {
    return jdbc.queryForList(
        """
        SELECT r.id FROM runs r
        WHERE r.status IN ('QUEUED', 'TRAINING', 'EVALUATING')
          AND r.created_at < now() - ? * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM run_owners o WHERE o.run_id = r.id)
        ORDER BY r.created_at
        LIMIT 100
        """,
        UUID.class,
        properties.ownerLeasePeriod().toMillis());
  }

  /** A run whose job waits at {@code stage}. */
  public record WaitingRun(UUID runId, String stage) {}
}
