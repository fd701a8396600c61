package org.byov.orchestrator.tasks;

import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.byov.common.task.CancelledRequest;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.CompleteRequest;
import org.byov.common.task.EpochMetricsRequest;
import org.byov.common.task.FailRequest;
import org.byov.common.task.HeartbeatRequest;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.ReleaseRequest;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.config.OrchestratorProperties;
import org.byov.orchestrator.dispatch.DispatchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal task protocol that workers call with a worker token. Calls after the claim answer
 * 409 when the fencing token is stale, and 404 for an unknown task.
 */
@RestController
@Tag(name = "tasks", description = "Internal task protocol (worker tokens only)")
public class TaskController {

  private static final Logger log = LoggerFactory.getLogger(TaskController.class);

  private final TaskQueue queue;
  private final TaskMetrics metrics;
  private final OrchestratorProperties properties;
  private final DispatchProperties dispatch;

  public TaskController(
      TaskQueue queue,
      TaskMetrics metrics,
      OrchestratorProperties properties,
      DispatchProperties dispatch) {
    this.queue = queue;
    this.metrics = metrics;
    this.properties = properties;
    this.dispatch = dispatch;
  }

  @Operation(summary = "Claim a task", description = "204 when nothing matching is queued.")
  @PostMapping("/internal/v1/tasks:claim")
  public ResponseEntity<ClaimedTask> claim(@Valid @RequestBody ClaimRequest request) {
    Set<TaskKind> kinds = new LinkedHashSet<>(request.kinds());
    if (request.taskId() == null && dispatch.mode() == DispatchProperties.Mode.KUBERNETES) {
      // In kubernetes mode only the pod created for a TRAIN task may claim it, by its id.
      kinds.remove(TaskKind.TRAIN);
    }

    long start = System.nanoTime();
    Optional<ClaimedTask> claimed = queue.claim(kinds, request.workerId(), request.taskId());
    Timer timer = metrics.claimTimer(claimed.isPresent());
    timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);

    if (claimed.isEmpty()) {
      return ResponseEntity.noContent().build();
    }
    ClaimedTask task = claimed.get();
    // Logged at DEBUG because the claim statement already writes a TASK_CLAIMED run event. At the
    // target of 500 claims/s, an INFO line per claim would flood the log.
    log.debug(
        "Worker {} claimed {} task {} of run {} (attempt {}, fencing token {})",
        request.workerId(), task.kind(), task.taskId(), task.runId(), task.attempt(),
        task.fencingToken());
    return ResponseEntity.ok(task);
  }

  @Operation(summary = "Extend the lease and report progress")
  @PostMapping("/internal/v1/tasks/{id}:heartbeat")
  public HeartbeatResponse heartbeat(
      @PathVariable UUID id, @Valid @RequestBody HeartbeatRequest request) {
    TaskQueue.Heartbeat heartbeat =
        queue.heartbeat(id, request.fencingToken(), request.progress());
    return new HeartbeatResponse(
        heartbeat.leaseExpiresAt(),
        heartbeat.cancelRequested(),
        (int) Math.max(1, properties.heartbeatInterval().toSeconds()));
  }

  @Operation(summary = "Record the metrics of one epoch")
  @PostMapping("/internal/v1/tasks/{id}/metrics")
  public ResponseEntity<Void> metrics(
      @PathVariable UUID id, @Valid @RequestBody EpochMetricsRequest request) {
    queue.recordEpochMetrics(id, request.fencingToken(), request.epoch(), request.values());
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "Complete the task with its result")
  @PostMapping("/internal/v1/tasks/{id}:complete")
  public ResponseEntity<Void> complete(
      @PathVariable UUID id, @Valid @RequestBody CompleteRequest request) {
    TaskRow task = queue.complete(id, request.fencingToken(), request.result());
    log.info("{} task {} of run {} succeeded", task.kind(), id, task.runId());
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "Report a failure", description = "Retryable failures are attempted again.")
  @PostMapping("/internal/v1/tasks/{id}:fail")
  public ResponseEntity<Void> fail(@PathVariable UUID id, @Valid @RequestBody FailRequest request) {
    queue.fail(id, request.fencingToken(), request.error(), request.retryable());
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "Give the task back without using up an attempt")
  @PostMapping("/internal/v1/tasks/{id}:release")
  public ResponseEntity<Void> release(
      @PathVariable UUID id, @Valid @RequestBody ReleaseRequest request) {
    queue.release(id, request.fencingToken(), request.reason());
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "Acknowledge a cancel announced by a heartbeat reply")
  @PostMapping("/internal/v1/tasks/{id}:cancelled")
  public ResponseEntity<Void> cancelled(
      @PathVariable UUID id, @Valid @RequestBody CancelledRequest request) {
    queue.cancelled(id, request.fencingToken());
    return ResponseEntity.noContent().build();
  }
}
