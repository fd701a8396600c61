package org.byov.trainer.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.trainer.config.WorkerProperties;
import org.byov.trainer.training.TrainTaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's main loop on its own thread. In queue mode it claims TRAIN tasks one at a time and
 * waits with exponential backoff (byov.worker.poll-initial up to poll-max) while none is queued.
 * In one-shot mode (byov.worker.task-id set) it claims that task, runs it, and publishes an exit
 * code through {@link #awaitExitCode()}.
 *
 * <p>As a {@link SmartLifecycle} in the last phase, {@link #stop(Runnable)} runs first when the
 * context closes (SIGTERM): the current task finishes its step, writes a checkpoint and is
 * released, and Spring waits up to byov.worker.shutdown-grace for that.
 */
@Component
public class WorkerLoop implements SmartLifecycle {

  /** One-shot exit code: the task completed, was cancelled or was released. */
  public static final int EXIT_OK = 0;

  /** One-shot exit code: the task failed, and the orchestrator decides whether to retry it. */
  public static final int EXIT_FAILED = 1;

  /** One-shot exit code: the lease was lost to another claim. */
  public static final int EXIT_LEASE_LOST = 2;

  /** One-shot exit code: the named task could not be claimed (finished, cancelled or running). */
  public static final int EXIT_NOT_CLAIMED = 3;

  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

  private final WorkerProperties properties;
  private final TaskClient client;
  private final TrainTaskRunner runner;
  private final Map<String, String> capabilities;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final Object pollMonitor = new Object();

  private volatile boolean running;
  private volatile boolean shuttingDown;
  private volatile TaskControl current;
  private Thread thread;

  public WorkerLoop(
      WorkerProperties properties, TaskClient client, TrainTaskRunner runner, ai.djl.Device device) {
    this.properties = properties;
    this.client = client;
    this.runner = runner;
    this.capabilities =
        Map.of(
            "device", device.isGpu() ? "gpu" : "cpu",
            "threads", Integer.toString(properties.threads()));
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "trainer-worker");
    thread.start();
    log.info(
        "Trainer worker {} started in {} mode against {}",
        properties.workerId(),
        properties.oneShot() ? "one-shot (task " + properties.taskId() + ")" : "queue",
        properties.orchestratorUrl());
  }

  private void loop() {
    try {
      if (properties.oneShot()) {
        exitCode.complete(runOneShot());
      } else {
        runQueue();
        exitCode.complete(EXIT_OK);
      }
    } catch (RuntimeException e) {
      log.error("The worker loop stopped on an unexpected error", e);
      exitCode.complete(EXIT_FAILED);
    } finally {
      running = false;
    }
  }

  private void runQueue() {
    int emptyPolls = 0;
    while (!shuttingDown) {
      Optional<ClaimedTask> task = claim(null);
      if (task.isPresent()) {
        emptyPolls = 0;
        runTask(task.get());
      } else {
        emptyPolls++;
        pause(pollDelay(emptyPolls));
      }
    }
  }

  private int runOneShot() {
    Optional<ClaimedTask> task = claim(properties.taskId());
    if (task.isEmpty()) {
      log.warn(
          "Task {} could not be claimed (it is not queued or dispatched); exiting",
          properties.taskId());
      return EXIT_NOT_CLAIMED;
    }
    return switch (runTask(task.get())) {
      case COMPLETED, CANCELLED, RELEASED -> EXIT_OK;
      case FAILED -> EXIT_FAILED;
      case LEASE_LOST -> EXIT_LEASE_LOST;
    };
  }

  private Optional<ClaimedTask> claim(java.util.UUID taskId) {
    try {
      return client.claim(
          new ClaimRequest(List.of(TaskKind.TRAIN), properties.workerId(), capabilities, taskId));
    } catch (RuntimeException e) {
      log.error("Claiming a TRAIN task failed", e);
      return Optional.empty();
    }
  }

  private TaskOutcome runTask(ClaimedTask task) {
    MDC.put("runId", task.runId().toString());
    MDC.put("taskId", task.taskId().toString());
    try {
      log.info(
          "Claimed TRAIN task {} of run {} (attempt {}, fencing token {}, {} epochs)",
          task.taskId(), task.runId(), task.attempt(), task.fencingToken(), task.spec().epochs());
      if (shuttingDown) {
        return releaseAtOnce(task);
      }
      TaskControl control = new TaskControl(task.taskId(), task.spec().epochs());
      current = control;
      if (shuttingDown) {
        control.requestShutdown();
      }
      TaskOutcome outcome = runner.run(task, control);
      log.info("TRAIN task {} of run {} ended: {}", task.taskId(), task.runId(), outcome);
      return outcome;
    } finally {
      current = null;
      MDC.remove("runId");
      MDC.remove("taskId");
    }
  }

  private TaskOutcome releaseAtOnce(ClaimedTask task) {
    try {
      client.release(task.taskId(), task.fencingToken(), "worker " + properties.workerId()
          + " is shutting down");
      return TaskOutcome.RELEASED;
    } catch (LeaseLostException e) {
      return TaskOutcome.LEASE_LOST;
    }
  }

  /** Returns the wait after {@code emptyPolls} empty claims: doubling, capped at poll-max. */
  Duration pollDelay(int emptyPolls) {
    long initial = properties.pollInitial().toMillis();
    double millis = initial * Math.pow(2, Math.min(30, emptyPolls - 1));
    return Duration.ofMillis((long) Math.min(millis, properties.pollMax().toMillis()));
  }

  private void pause(Duration delay) {
    synchronized (pollMonitor) {
      if (shuttingDown) {
        return;
      }
      try {
        pollMonitor.wait(Math.max(1, delay.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shuttingDown = true;
      }
    }
  }

  /**
   * Blocks until the one-shot task has ended and returns the process exit code; in queue mode it
   * returns once the loop has stopped.
   */
  public int awaitExitCode() throws InterruptedException {
    try {
      return exitCode.get();
    } catch (ExecutionException e) {
      return EXIT_FAILED;
    }
  }

  @Override
  public void stop(Runnable callback) {
    shuttingDown = true;
    TaskControl control = current;
    if (control != null) {
      log.info("Shutting down: task {} stops after its current step, checkpoints and is released"
          + " (grace {})", control.taskId(), properties.shutdownGrace());
      control.requestShutdown();
    }
    synchronized (pollMonitor) {
      pollMonitor.notifyAll();
    }
    Thread waiter =
        new Thread(
            () -> {
              awaitLoop(properties.shutdownGrace());
              callback.run();
            },
            "trainer-worker-shutdown");
    waiter.start();
  }

  @Override
  public void stop() {
    stop(() -> {});
    awaitLoop(properties.shutdownGrace());
  }

  private void awaitLoop(Duration grace) {
    Thread loopThread = thread;
    if (loopThread == null || loopThread == Thread.currentThread()) {
      return;
    }
    try {
      loopThread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (loopThread.isAlive()) {
      log.warn("The current task did not stop within the grace period of {}; its lease will"
          + " expire and another worker resumes from its newest checkpoint", grace);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
