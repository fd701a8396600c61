package org.byov.orchestrator.tasks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.Progress;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.config.OrchestratorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leased task queue in {@code orchestrator.tasks}. Every worker-facing update checks the
 * fencing token and the RUNNING status in its WHERE clause, so a stale claim changes no row and
 * the caller gets 409. Lease times come from the database clock.
 */
@Repository
public class TaskQueue {

  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

  private static final String TASK_COLUMNS =
      "id, run_id, stage, kind, status, fencing_token, attempt, max_attempts, worker_id,"
          + " lease_expires_at, cancel_requested, input::text AS input,"
          + " progress::text AS progress, result::text AS result,"
          + " last_error, created_at";

  /**
   * Claims one task in one statement. The sub-select locks the oldest matching queued row and
   * skips rows that other claims hold. The update takes the lease and raises the fencing token.
   * The same statement also moves a QUEUED run to TRAINING and logs the claim.
   */
  private static final String CLAIM_TEMPLATE =
      """
      WITH candidate AS (
        SELECT id FROM tasks
        WHERE %s AND kind IN (%s) AND NOT cancel_requested
        ORDER BY created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE tasks t
        SET status = 'RUNNING', fencing_token = t.fencing_token + 1, worker_id = ?,
            lease_expires_at = now() + ? * interval '1 millisecond', claimed_at = now(),
            updated_at = now(), progress = NULL
        FROM candidate c WHERE t.id = c.id
        RETURNING t.id, t.run_id, t.kind, t.input, t.fencing_token, t.attempt, t.lease_expires_at,
                  t.worker_id
      ), started AS (
        UPDATE runs r
        SET status = 'TRAINING', started_at = coalesce(r.started_at, now()), updated_at = now()
        FROM claimed c
        WHERE r.id = c.run_id AND c.kind = 'TRAIN' AND r.status = 'QUEUED'
        RETURNING r.id
      ), logged AS (
        INSERT INTO run_events (run_id, type, message)
        SELECT c.run_id, 'TASK_CLAIMED',
               c.kind || ' task ' || c.id || ' claimed by ' || c.worker_id || ' (attempt '
               || c.attempt || ', fencing token ' || c.fencing_token || ')'
        FROM claimed c
      )
      SELECT c.id, c.run_id, c.kind, r.spec::text AS spec, c.input::text AS input,
             c.fencing_token, c.attempt, c.lease_expires_at
      FROM claimed c JOIN runs r ON r.id = c.run_id
      """;

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final OrchestratorProperties properties;
  private final ApplicationEventPublisher events;

  /** Claim statements by (named task, number of kinds), so a claim does not format the SQL. */
  private final Map<ClaimShape, String> claimStatements = new ConcurrentHashMap<>();

  public TaskQueue(
      JdbcTemplate jdbc,
      JsonMapper json,
      OrchestratorProperties properties,
      ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.json = json;
    this.properties = properties;
    this.events = events;
  }

  /**
   * Claims the oldest queued task of the given kinds, or the named task when {@code taskId} is
   * set (then a DISPATCHED task may be claimed too). Returns empty when no task matches.
   */
  public Optional<ClaimedTask> claim(
      Collection<TaskKind> kinds, String workerId, UUID taskId) {
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    // Distinct kinds bound the number of cached statements by the number of kinds.
    Set<TaskKind> distinctKinds = EnumSet.copyOf(kinds);
    List<Object> arguments = new ArrayList<>();
    if (taskId != null) {
      arguments.add(taskId);
    }
    distinctKinds.forEach(kind -> arguments.add(kind.name()));
    arguments.add(workerId);
    arguments.add(properties.leasePeriod().toMillis());

    String sql = claimSql(taskId != null, distinctKinds.size());
    List<ClaimedTask> claimed = jdbc.query(sql, this::mapClaim, arguments.toArray());
    return claimed.stream().findFirst();
  }

  /**
   * Extends the lease of a running task and stores its progress. Returns the new lease expiry and
   * the cancel flag.
   */
  public Heartbeat heartbeat(UUID taskId, long fencingToken, Progress progress) {
    List<Heartbeat> rows =
        jdbc.query(
            """
            UPDATE tasks
            SET lease_expires_at = now() + ? * interval '1 millisecond',
                progress = coalesce(?::jsonb, progress), updated_at = now()
            WHERE id = ? AND fencing_token = ? AND status = 'RUNNING'
            RETURNING lease_expires_at, cancel_requested
            """,
            (rs, i) -> new Heartbeat(instant(rs, "lease_expires_at"), rs.getBoolean(2)),
            properties.leasePeriod().toMillis(),
            progress == null ? null : json.writeValueAsString(progress),
            taskId,
            fencingToken);
    if (rows.isEmpty()) {
      throw staleOrMissing(taskId, fencingToken);
    }
    return rows.get(0);
  }

  /** Stores the metrics of one epoch and updates the run's current epoch and latest metrics. */
  @Transactional
  public void recordEpochMetrics(
      UUID taskId, long fencingToken, int epoch, java.util.Map<String, Double> values) {
    List<UUID> runs =
        jdbc.queryForList(
            "SELECT run_id FROM tasks WHERE id = ? AND fencing_token = ? AND status = 'RUNNING'",
            UUID.class,
            taskId,
            fencingToken);
    if (runs.isEmpty()) {
      throw staleOrMissing(taskId, fencingToken);
    }
    String metrics = json.writeValueAsString(values);
    jdbc.update(
        """
        INSERT INTO run_metrics (run_id, epoch, metrics) VALUES (?, ?, ?::jsonb)
        ON CONFLICT (run_id, epoch) DO UPDATE SET metrics = EXCLUDED.metrics, recorded_at = now()
        """,
        runs.get(0),
        epoch,
        metrics);
    jdbc.update(
        """
        UPDATE runs SET current_epoch = greatest(coalesce(current_epoch, 0), ?),
               latest_metrics = ?::jsonb, updated_at = now()
        WHERE id = ?
        """,
        epoch,
        metrics,
        runs.get(0));
  }

  /**
   * Completes a running task with its result and publishes {@link TaskSucceeded} in the same
   * transaction. The model registry applies on-demand evaluation results from that event.
   */
  @Transactional
  public TaskRow complete(UUID taskId, long fencingToken, TaskResult result) {
    TaskRow task = requireRunning(taskId, fencingToken);
    checkResult(task.kind(), result);
    jdbc.update(
        """
        UPDATE tasks SET status = 'SUCCEEDED', result = ?::jsonb, lease_expires_at = NULL,
               finished_at = now(), updated_at = now()
        WHERE id = ? AND fencing_token = ? AND status = 'RUNNING'
        """,
        json.writeValueAsString(result),
        taskId,
        fencingToken);
    event(task.runId(), "TASK_SUCCEEDED", task.kind() + " task " + taskId + " succeeded");
    events.publishEvent(new TaskSucceeded(task, result));
    return task;
  }

  /**
   * Records a failure. A retryable failure with attempts left queues the task again as the next
   * attempt. Any other failure fails the task for good, unless a cancel was requested, which
   * cancels it.
   */
  @Transactional
  public TaskStatus fail(UUID taskId, long fencingToken, String error, boolean retryable) {
    TaskRow task = requireRunning(taskId, fencingToken);
    TaskStatus next;
    if (task.cancelRequested()) {
      next = TaskStatus.CANCELLED;
    } else if (retryable && task.attempt() < task.maxAttempts()) {
      next = TaskStatus.QUEUED;
    } else {
      next = TaskStatus.FAILED;
    }
    jdbc.update(
        """
        UPDATE tasks SET status = ?, attempt = attempt + ?, last_error = ?, worker_id = NULL,
               lease_expires_at = NULL, updated_at = now(),
               finished_at = CASE WHEN ? THEN now() END
        WHERE id = ?
        """,
        next.name(),
        next == TaskStatus.QUEUED ? 1 : 0,
        error,
        next.isTerminal(),
        taskId);
    String what =
        next == TaskStatus.QUEUED
            ? "failed (retryable), queued again as attempt " + (task.attempt() + 1)
            : "failed for good";
    event(task.runId(), "TASK_FAILED", task.kind() + " task " + taskId + " " + what + ": " + error);
    log.warn("Task {} of run {} {}: {}", taskId, task.runId(), what, error);
    return next;
  }

  /** Queues a running task again at once, keeping its attempt number. */
  @Transactional
  public void release(UUID taskId, long fencingToken, String reason) {
    TaskRow task = requireRunning(taskId, fencingToken);
    TaskStatus next = task.cancelRequested() ? TaskStatus.CANCELLED : TaskStatus.QUEUED;
    jdbc.update(
        """
        UPDATE tasks SET status = ?, worker_id = NULL, lease_expires_at = NULL, updated_at = now(),
               finished_at = CASE WHEN ? THEN now() END
        WHERE id = ?
        """,
        next.name(),
        next.isTerminal(),
        taskId);
    event(
        task.runId(),
        "TASK_RELEASED",
        task.kind() + " task " + taskId + " released by " + task.workerId()
            + (reason == null ? "" : ": " + reason));
  }

  /** Acknowledges a cancel: the worker has stopped. */
  @Transactional
  public void cancelled(UUID taskId, long fencingToken) {
    TaskRow task = requireRunning(taskId, fencingToken);
    if (!task.cancelRequested()) {
      throw ApiProblemException.conflict(
          "Task " + taskId + " has no cancel request; keep working or call :fail");
    }
    jdbc.update(
        """
        UPDATE tasks SET status = 'CANCELLED', lease_expires_at = NULL, finished_at = now(),
               updated_at = now()
        WHERE id = ?
        """,
        taskId);
    event(task.runId(), "TASK_CANCELLED", task.kind() + " task " + taskId + " stopped after cancel");
  }

  /**
   * Creates the task of a run's stage unless it exists, and returns the row. The unique (run,
   * stage) key makes this idempotent, so a restarted job finds the task it created before.
   */
  @Transactional
  public TaskRow ensureTask(UUID runId, String stage, TaskKind kind, TaskInput input) {
    int inserted =
        jdbc.update(
            """
            INSERT INTO tasks (id, run_id, stage, kind, status, input, max_attempts)
            VALUES (?, ?, ?, ?, 'QUEUED', ?::jsonb, ?)
            ON CONFLICT (run_id, stage) DO NOTHING
            """,
            UUID.randomUUID(),
            runId,
            stage,
            kind.name(),
            json.writeValueAsString(input),
            properties.maxAttempts());
    TaskRow task = find(runId, stage).orElseThrow();
    if (inserted == 1) {
      event(runId, "TASK_CREATED", kind + " task " + task.id() + " queued for stage " + stage);
    }
    return task;
  }

  /** Returns the task of a run's stage. */
  public Optional<TaskRow> find(UUID runId, String stage) {
    return jdbc
        .query(
            "SELECT " + TASK_COLUMNS + " FROM tasks WHERE run_id = ? AND stage = ?",
            TASK_ROW,
            runId,
            stage)
        .stream()
        .findFirst();
  }

  /** Returns a task by id. */
  public Optional<TaskRow> find(UUID taskId) {
    return jdbc
        .query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", TASK_ROW, taskId)
        .stream()
        .findFirst();
  }

  /** Returns every task of a run, oldest first. */
  public List<TaskRow> findByRun(UUID runId) {
    return jdbc.query(
        "SELECT " + TASK_COLUMNS + " FROM tasks WHERE run_id = ? ORDER BY created_at, id",
        TASK_ROW,
        runId);
  }

  /**
   * Requests a cancel of a run's unfinished tasks: queued and dispatched ones are cancelled at
   * once, running ones learn it from their next heartbeat reply.
   */
  @Transactional
  public void requestCancel(UUID runId) {
    jdbc.update(
        """
        UPDATE tasks SET status = 'CANCELLED', lease_expires_at = NULL, finished_at = now(),
               updated_at = now(), cancel_requested = true
        WHERE run_id = ? AND status IN ('QUEUED', 'DISPATCHED')
        """,
        runId);
    jdbc.update(
        "UPDATE tasks SET cancel_requested = true, updated_at = now()"
            + " WHERE run_id = ? AND status = 'RUNNING'",
        runId);
  }

  /**
   * Queues every task whose lease expired again as the next attempt, or fails it when it was the
   * last attempt. Returns the tasks it changed.
   */
  @Transactional
  public List<ExpiredLease> expireLeases() {
    List<ExpiredLease> expired =
        jdbc.query(
            """
            UPDATE tasks SET
              status = CASE WHEN cancel_requested THEN 'CANCELLED'
                            WHEN attempt < max_attempts THEN 'QUEUED' ELSE 'FAILED' END,
              attempt = CASE WHEN NOT cancel_requested AND attempt < max_attempts
                             THEN attempt + 1 ELSE attempt END,
              last_error = CASE WHEN status = 'DISPATCHED'
                                THEN 'the Kubernetes Job did not claim the task before its lease'
                                     || ' expired'
                                ELSE 'lease expired: worker ' || coalesce(worker_id, '?')
                                     || ' stopped heartbeating' END,
              finished_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN now() END,
              worker_id = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE status IN ('RUNNING', 'DISPATCHED') AND lease_expires_at < now()
            RETURNING id, run_id, kind, status, attempt, last_error
            """,
            (rs, i) ->
                new ExpiredLease(
                    rs.getObject("id", UUID.class),
                    rs.getObject("run_id", UUID.class),
                    TaskKind.valueOf(rs.getString("kind")),
                    TaskStatus.valueOf(rs.getString("status")),
                    rs.getInt("attempt"),
                    rs.getString("last_error")));
    for (ExpiredLease lease : expired) {
      String what =
          lease.status() == TaskStatus.QUEUED
              ? "queued again as attempt " + lease.attempt()
              : lease.status().name().toLowerCase(java.util.Locale.ROOT);
      event(lease.runId(), "LEASE_EXPIRED", lease.kind() + " task " + lease.taskId() + " " + what
          + ": " + lease.lastError());
      log.warn("Task {} of run {}: {}; {}", lease.taskId(), lease.runId(), lease.lastError(), what);
    }
    return expired;
  }

  /**
   * Extends every active lease by one lease period, counted from its expiry or from now, whichever
   * is later. Run at startup so that the orchestrator's own downtime does not expire leases.
   */
  public int extendActiveLeases() {
    return jdbc.update(
        """
        UPDATE tasks SET lease_expires_at = greatest(lease_expires_at, now())
                                            + ? * interval '1 millisecond', updated_at = now()
        WHERE status IN ('RUNNING', 'DISPATCHED')
        """,
        properties.leasePeriod().toMillis());
  }

  /**
   * Reserves a queued task for a Kubernetes Job: raises the fencing token (the Job's generation)
   * and leases the task for {@code dispatchTimeout}, in which the pod must claim it.
   */
  public List<TaskRow> dispatchQueued(TaskKind kind, int limit, Duration dispatchTimeout) {
    return jdbc.query(
        """
        WITH candidate AS (
          SELECT id FROM tasks WHERE status = 'QUEUED' AND kind = ? AND NOT cancel_requested
          ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED
        )
        UPDATE tasks t SET status = 'DISPATCHED', fencing_token = t.fencing_token + 1,
               worker_id = 'kubernetes', updated_at = now(),
               lease_expires_at = now() + ? * interval '1 millisecond'
        FROM candidate c WHERE t.id = c.id
        RETURNING t.id, t.run_id, t.stage, t.kind, t.status, t.fencing_token, t.attempt,
                  t.max_attempts, t.worker_id, t.lease_expires_at, t.cancel_requested,
                  t.input::text AS input, t.progress::text AS progress, t.result::text AS result,
                  t.last_error, t.created_at
        """,
        TASK_ROW,
        kind.name(),
        limit,
        dispatchTimeout.toMillis());
  }

  /**
   * Expires the lease of a task at once if it still carries {@code fencingToken}, so that the next
   * maintenance pass retries it. Used when the Job of that claim failed. Returns whether it did.
   */
  public boolean expireNow(UUID taskId, long fencingToken) {
    return jdbc.update(
            """
            UPDATE tasks SET lease_expires_at = now() - interval '1 millisecond'
            WHERE id = ? AND fencing_token = ? AND status IN ('RUNNING', 'DISPATCHED')
            """,
            taskId,
            fencingToken)
        == 1;
  }

  /** Queues a dispatched task again without using an attempt, when its Job could not be created. */
  public void undispatch(UUID taskId, long fencingToken) {
    jdbc.update(
        """
        UPDATE tasks SET status = 'QUEUED', worker_id = NULL, lease_expires_at = NULL,
               updated_at = now()
        WHERE id = ? AND fencing_token = ? AND status = 'DISPATCHED'
        """,
        taskId,
        fencingToken);
  }

  /** Counts tasks per kind and status, for the gauges. */
  public List<KindStatusCount> countByKindAndStatus() {
    return jdbc.query(
        "SELECT kind, status, count(*) AS n FROM tasks"
            + " WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING') GROUP BY kind, status",
        (rs, i) ->
            new KindStatusCount(
                TaskKind.valueOf(rs.getString("kind")),
                TaskStatus.valueOf(rs.getString("status")),
                rs.getLong("n")));
  }

  private TaskRow requireRunning(UUID taskId, long fencingToken) {
    List<TaskRow> rows =
        jdbc.query(
            "SELECT " + TASK_COLUMNS + " FROM tasks"
                + " WHERE id = ? AND fencing_token = ? AND status = 'RUNNING' FOR UPDATE",
            TASK_ROW,
            taskId,
            fencingToken);
    if (rows.isEmpty()) {
      throw staleOrMissing(taskId, fencingToken);
    }
    return rows.get(0);
  }

  private String claimSql(boolean namedTask, int kindCount) {
    return claimStatements.computeIfAbsent(
        new ClaimShape(namedTask, kindCount),
        shape -> {
          String filter =
              shape.namedTask() ? "id = ? AND status IN ('QUEUED', 'DISPATCHED')" : "status = 'QUEUED'";
          String placeholders = String.join(", ", Collections.nCopies(shape.kindCount(), "?"));
          return CLAIM_TEMPLATE.formatted(filter, placeholders);
        });
  }

  private ApiProblemException staleOrMissing(UUID taskId, long fencingToken) {
    Optional<TaskRow> task = find(taskId);
    if (task.isEmpty()) {
      return ApiProblemException.notFound("Task " + taskId + " does not exist");
    }
    TaskRow row = task.get();
    return ApiProblemException.conflict(
        "Fencing token " + fencingToken + " is stale for task " + taskId + " (status "
            + row.status() + ", current token " + row.fencingToken()
            + "); stop working on this task");
  }

  private static void checkResult(TaskKind kind, TaskResult result) {
    if (kind == TaskKind.TRAIN && (result.artifactUri() == null || result.artifactUri().isBlank())) {
      throw ApiProblemException.invalidField(
          "result.artifactUri", "a TRAIN result needs the URI of the final model directory");
    }
    if (kind == TaskKind.EVAL) {
      if (result.evaluationId() == null) {
        throw ApiProblemException.invalidField(
            "result.evaluationId", "an EVAL result needs the evaluation id");
      }
      if (result.abstainThreshold() == null) {
        throw ApiProblemException.invalidField(
            "result.abstainThreshold", "an EVAL result needs the abstain threshold");
      }
    }
  }

  private void event(UUID runId, String type, String message) {
    jdbc.update("INSERT INTO run_events (run_id, type, message) VALUES (?, ?, ?)", runId, type, message);
  }

  private ClaimedTask mapClaim(ResultSet rs, int row) throws SQLException {
    UUID taskId = rs.getObject("id", UUID.class);
    return new ClaimedTask(
        taskId,
        rs.getObject("run_id", UUID.class),
        TaskKind.valueOf(rs.getString("kind")),
        json.readValue(rs.getString("spec"), RunSpec.class),
        json.readValue(rs.getString("input"), TaskInput.class),
        rs.getLong("fencing_token"),
        rs.getInt("attempt"),
        instant(rs, "lease_expires_at"),
        (int) Math.max(1, properties.heartbeatInterval().toSeconds()));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static final RowMapper<TaskRow> TASK_ROW =
      (rs, i) ->
          new TaskRow(
              rs.getObject("id", UUID.class),
              rs.getObject("run_id", UUID.class),
              rs.getString("stage"),
              TaskKind.valueOf(rs.getString("kind")),
              TaskStatus.valueOf(rs.getString("status")),
              rs.getLong("fencing_token"),
              rs.getInt("attempt"),
              rs.getInt("max_attempts"),
              rs.getString("worker_id"),
              instant(rs, "lease_expires_at"),
              rs.getBoolean("cancel_requested"),
              rs.getString("input"),
              rs.getString("progress"),
              rs.getString("result"),
              rs.getString("last_error"),
              instant(rs, "created_at"));

  /** Reply data of a heartbeat. */
  public record Heartbeat(Instant leaseExpiresAt, boolean cancelRequested) {}

  /** A task whose lease expired, with its new status and attempt. */
  public record ExpiredLease(
      UUID taskId, UUID runId, TaskKind kind, TaskStatus status, int attempt, String lastError) {}

  /** The parts of a claim that change its SQL text. */
  private record ClaimShape(boolean namedTask, int kindCount) {}

  /** Number of tasks of one kind in one status. */
  public record KindStatusCount(TaskKind kind, TaskStatus status, long count) {}
}
