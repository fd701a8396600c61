package org.byov.orchestrator.tasks;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.InputContract;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.Progress;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskClientException;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.runs.RunService;
import org.byov.orchestrator.runs.RunView;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestRows;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/** The task protocol over HTTP against PostgreSQL, driven through the worker-side TaskClient. */
class TaskProtocolTest {

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static JdbcTemplate jdbc;
  private static TaskClient client;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("task_protocol", artifacts);
    replica = orchestrators.start("queue-replica", Map.of("byov.orchestrator.auto-launch", "false"));
    jdbc = replica.bean(JdbcTemplate.class);
    client =
        TaskClient.create(
            RestClient.builder(), replica.baseUrl(), TestTokens.WORKER,
            new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 5));
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  @Test
  void silentWorkerLosesLeaseAndLateCompleteIsRejected() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 3);
    double expiriesBefore = trainLeaseExpiries();
    ClaimedTask first = claimById(taskId, "silent-worker");
    assertThat(first.attempt()).isEqualTo(1);

    // The worker never heartbeats; the 2 s lease expires and the task is queued as attempt 2.
    Poll.untilTrue(
        Duration.ofSeconds(20),
        "the expired task to be queued again",
        () -> "QUEUED".equals(status(taskId)) && attempt(taskId) == 2);
    // At least this expiry is counted; a task another test left claimed may expire meanwhile.
    assertThat(trainLeaseExpiries() - expiriesBefore).isGreaterThanOrEqualTo(1.0);

    assertThatThrownBy(
            () -> client.complete(taskId, first.fencingToken(), TaskResult.trained("file:///x", null)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(status(taskId)).isEqualTo("QUEUED");
    assertThat(jdbc.queryForObject("SELECT result IS NULL FROM tasks WHERE id = ?", Boolean.class, taskId))
        .isTrue();

    ClaimedTask second = claimById(taskId, "second-worker");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    assertThatThrownBy(() -> client.heartbeat(taskId, first.fencingToken(), null))
        .isInstanceOf(LeaseLostException.class);

    client.complete(
        taskId,
        second.fencingToken(),
        TaskResult.trained(
            "file:///artifacts/runs/" + runId + "/model/",
            new InputContract(1, 28, 28, List.of(0.286), List.of(0.353), List.of("a", "b"))));
    assertThat(status(taskId)).isEqualTo("SUCCEEDED");
  }

  private static double trainLeaseExpiries() {
    return replica.bean(MeterRegistry.class).get("byov.tasks.lease.expired")
        .tag("kind", "TRAIN").counter().count();
  }

  @Test
  void heartbeatExtendsLeaseAndReportsCancel() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 3);
    ClaimedTask task = claimById(taskId, "beating-worker");

    HeartbeatResponse beat = client.heartbeat(taskId, task.fencingToken(), new Progress(1, 5, 10L, "epoch 1"));
    assertThat(beat.leaseExpiresAt()).isAfterOrEqualTo(task.leaseExpiresAt());
    assertThat(beat.cancelRequested()).isFalse();

    replica.bean(TaskQueue.class).requestCancel(runId);
    assertThat(client.heartbeat(taskId, task.fencingToken(), null).cancelRequested()).isTrue();
    client.cancelled(taskId, task.fencingToken());
    assertThat(status(taskId)).isEqualTo("CANCELLED");
  }

  @Test
  void heartbeatProgressShowsInRunView() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 3);
    ClaimedTask task = claimById(taskId, "progress-worker");

    client.heartbeat(
        taskId, task.fencingToken(), new Progress(2, 5, 13L, "epoch 2/5, step 13", 250.5));

    RunView.TaskSummary summary = replica.bean(RunService.class).get(runId).tasks().get(0);
    assertThat(summary.progress()).isEqualTo(new Progress(2, 5, 13L, "epoch 2/5, step 13", 250.5));
    client.fail(taskId, task.fencingToken(), "test finished", false);
  }

  @Test
  void negativeThroughputRejected() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 3);
    ClaimedTask task = claimById(taskId, "negative-worker");

    assertThatThrownBy(
            () -> client.heartbeat(taskId, task.fencingToken(), new Progress(1, 5, 1L, null, -1.0)))
        .isInstanceOf(TaskClientException.class)
        .satisfies(e -> assertThat(((TaskClientException) e).status()).isEqualTo(400))
        .hasMessageContaining("progress.imagesPerSecond");
    client.fail(taskId, task.fencingToken(), "test finished", false);
  }

  @Test
  void releaseKeepsAttemptAndRetryableFailUsesOne() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 2);

    ClaimedTask first = claimById(taskId, "releasing-worker");
    client.release(taskId, first.fencingToken(), "shutting down");
    assertThat(status(taskId)).isEqualTo("QUEUED");
    assertThat(attempt(taskId)).isEqualTo(1);

    ClaimedTask second = claimById(taskId, "failing-worker");
    client.fail(taskId, second.fencingToken(), "CUDA out of memory", true);
    assertThat(status(taskId)).isEqualTo("QUEUED");
    assertThat(attempt(taskId)).isEqualTo(2);

    // Attempt 2 of 2: a retryable failure now fails the task for good.
    ClaimedTask third = claimById(taskId, "failing-worker");
    client.fail(taskId, third.fencingToken(), "CUDA out of memory again", true);
    assertThat(status(taskId)).isEqualTo("FAILED");
    assertThat(jdbc.queryForObject("SELECT last_error FROM tasks WHERE id = ?", String.class, taskId))
        .isEqualTo("CUDA out of memory again");
  }

  @Test
  void claimReturnsEmptyWhenNothingQueuedAndRejectsBadRequests() {
    Optional<ClaimedTask> none =
        client.claim(new ClaimRequest(List.of(TaskKind.TRAIN), "idle", Map.of(), UUID.randomUUID()));
    assertThat(none).isEmpty();

    assertThatThrownBy(() -> client.claim(new ClaimRequest(List.of(), "idle", Map.of(), null)))
        .isInstanceOfSatisfying(TaskClientException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> client.heartbeat(UUID.randomUUID(), 1, null))
        .isInstanceOfSatisfying(TaskClientException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void evalCompleteWithoutEvaluationIdIsRejected() {
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "evaluate", "EVAL", 3);
    ClaimedTask task = claimById(taskId, "eval-worker");

    assertThatThrownBy(
            () -> client.complete(taskId, task.fencingToken(), TaskResult.trained("file:///x", null)))
        .isInstanceOfSatisfying(TaskClientException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("result.evaluationId");
    assertThat(status(taskId)).isEqualTo("RUNNING");
  }

  @Test
  void claimIsTimedAndObserved() {
    MeterRegistry meters = replica.bean(MeterRegistry.class);
    long claimedBefore = claimTimerCount(meters, "claimed");
    long requestsBefore = claimRequestCount(meters);
    UUID runId = TestRows.insertRun(jdbc);
    UUID taskId = TestRows.insertTask(jdbc, runId, "train", "TRAIN", 3);

    claimById(taskId, "observed-worker");

    assertThat(claimTimerCount(meters, "claimed") - claimedBefore).isEqualTo(1);
    assertThat(claimRequestCount(meters) - requestsBefore).isEqualTo(1);
    // Authorization stays observed, but the per-filter observation of the security chain is off.
    assertThat(meters.find("spring.security.authorizations").timers()).isNotEmpty();
    assertThat(meters.find("spring.security.filterchains").meters()).isEmpty();
  }

  private static long claimTimerCount(MeterRegistry meters, String outcome) {
    return meters.get("byov.tasks.claim").tag("outcome", outcome).timer().count();
  }

  private static long claimRequestCount(MeterRegistry meters) {
    return meters.find("http.server.requests").tag("uri", "/internal/v1/tasks:claim")
        .tag("status", "200").timers().stream().mapToLong(timer -> timer.count()).sum();
  }

  private static ClaimedTask claimById(UUID taskId, String workerId) {
    return client
        .claim(new ClaimRequest(List.of(TaskKind.TRAIN, TaskKind.EVAL), workerId, Map.of(), taskId))
        .orElseThrow(() -> new AssertionError("task " + taskId + " was not claimable"));
  }

  private static String status(UUID taskId) {
    return jdbc.queryForObject("SELECT status FROM tasks WHERE id = ?", String.class, taskId);
  }

  private static int attempt(UUID taskId) {
    return jdbc.queryForObject("SELECT attempt FROM tasks WHERE id = ?", Integer.class, taskId);
  }
}
