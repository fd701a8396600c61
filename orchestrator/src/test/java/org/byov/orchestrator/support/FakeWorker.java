package org.byov.orchestrator.support;

import org.byov.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.InputContract;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A worker for tests that speaks the real task protocol through {@link TaskClient} but produces
 * fixed results instead of training: the orchestrator is under test, not the model.
 */
public final class FakeWorker {

  public static final InputContract CONTRACT =
      new InputContract(1, 28, 28, List.of(0.2860), List.of(0.3530), List.of("t-shirt", "trouser"));

  private final TaskClient client;
  private final String workerId;
  private final Http http;

  public FakeWorker(String baseUrl, String workerId) {
    this.http = new Http(baseUrl);
    this.client =
        TaskClient.create(
            RestClient.builder(), baseUrl, TestTokens.WORKER,
            new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 20));
    this.workerId = workerId;
  }

  public TaskClient client() {
    return client;
  }

  /**
   * Polls until the run has a queued task of the kind, found through the runs API, and claims that
   * task by id, so that tests with several runs never take each other's tasks.
   */
  public ClaimedTask claim(TaskKind kind, UUID runId) {
    return Poll.until(
        Duration.ofSeconds(60),
        kind + " task of run " + runId,
        () -> {
          JsonNode run = http.get("/api/v1/runs/" + runId, TestTokens.RUNS).json();
          for (JsonNode task : run.get("tasks")) {
            if (task.get("kind").asString().equals(kind.name())
                && task.get("status").asString().equals("QUEUED")) {
              UUID taskId = UUID.fromString(task.get("id").asString());
              return client
                  .claim(new ClaimRequest(List.of(kind), workerId, Map.of(), taskId))
                  .orElse(null);
            }
          }
          return null;
        });
  }

  /**
   * Heartbeats the task every 300 ms on a background thread until closed, as a live worker does.
   */
  public AutoCloseable keepAlive(ClaimedTask task) {
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    beats.scheduleWithFixedDelay(
        () -> {
          try {
            client.heartbeat(task.taskId(), task.fencingToken(), null);
          } catch (RuntimeException e) {
            // A failed beat is retried on the next tick; the test checks the outcome.
          }
        },
        0,
        300,
        TimeUnit.MILLISECONDS);
    return beats::shutdownNow;
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
