package org.byov.orchestrator.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.InputContract;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.springframework.web.client.RestClient;

/**
 * A worker for tests that speaks the real task protocol through {@link TaskClient} but produces
 * fixed results instead of training: the orchestrator is under test, not the model.
 */
public final class FakeWorker {

  public static final InputContract CONTRACT =
      new InputContract(1, 28, 28, List.of(0.2860), List.of(0.3530), List.of("t-shirt", "trouser"));

  private final TaskClient client;
  private final String workerId;

  public FakeWorker(String baseUrl, String workerId) {
    this.client =
        TaskClient.create(
            RestClient.builder(), baseUrl, TestTokens.WORKER,
            new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 20));
    this.workerId = workerId;
  }

  public TaskClient client() {
    return client;
  }

  /** Polls until a task of the kind (optionally of one run) can be claimed. */
  public ClaimedTask claim(TaskKind kind, UUID runId) {
    return Poll.until(
        Duration.ofSeconds(60),
        kind + " task of run " + runId,
        () -> {
          ClaimedTask task =
              client.claim(new ClaimRequest(List.of(kind), workerId, Map.of(), null)).orElse(null);
          if (task != null && runId != null && !task.runId().equals(runId)) {
            client.release(task.taskId(), task.fencingToken(), "test wants another run");
            return null;
          }
          return task;
        });
  }

  /** Completes a TRAIN task with a model URI under the run's directory. */
  public void completeTrain(ClaimedTask task) {
    client.metrics(task.taskId(), task.fencingToken(), 1, Map.of("loss", 0.5, "kl", 0.1));
    client.complete(
        task.taskId(),
        task.fencingToken(),
        TaskResult.trained("file:///artifacts/runs/" + task.runId() + "/model/", CONTRACT));
  }

  /** Completes an EVAL task with the given headline metrics and abstain threshold 0.7. */
  public UUID completeEval(ClaimedTask task, double probeAccuracy, double ece) {
    UUID evaluationId = UUID.randomUUID();
    client.complete(
        task.taskId(),
        task.fencingToken(),
        TaskResult.evaluated(
            evaluationId,
            Map.of("probeAccuracy", probeAccuracy, "ece", ece, "brier", 0.2, "nll", 0.4),
            0.7,
            null));
    return evaluationId;
  }
}
