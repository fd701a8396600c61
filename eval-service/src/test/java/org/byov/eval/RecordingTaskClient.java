package org.byov.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.Progress;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskResult;
import org.springframework.web.client.RestClient;

/**
 * A task client that records the calls a worker makes instead of sending them, standing in for
 * the orchestrator in tests of one task's run.
 */
class RecordingTaskClient extends TaskClient {

  record Failure(UUID taskId, long fencingToken, String error, boolean retryable) {}

  final List<TaskResult> completed = new ArrayList<>();
  final List<Failure> failures = new ArrayList<>();
  final List<Progress> heartbeats = new ArrayList<>();

  RecordingTaskClient() {
    super(RestClient.create("http://127.0.0.1:9"), RetryBackoff.untilLeaseLost());
  }

  @Override
  public Optional<ClaimedTask> claim(ClaimRequest request) {
    return Optional.empty();
  }

  @Override
  public synchronized HeartbeatResponse heartbeat(UUID taskId, long fencingToken,
      Progress progress) {
    heartbeats.add(progress);
    return new HeartbeatResponse(java.time.Instant.now().plusSeconds(30), false, 1);
  }

  @Override
  public synchronized void complete(UUID taskId, long fencingToken, TaskResult result) {
    completed.add(result);
  }

  @Override
  public synchronized void fail(UUID taskId, long fencingToken, String error, boolean retryable) {
    failures.add(new Failure(taskId, fencingToken, error, retryable));
  }

  @Override
  public void metrics(UUID taskId, long fencingToken, int epoch, Map<String, Double> values) {
    throw new UnsupportedOperationException("An EVAL task reports no epoch metrics");
  }
}
