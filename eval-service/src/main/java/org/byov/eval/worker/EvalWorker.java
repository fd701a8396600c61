package org.byov.eval.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.eval.config.EvalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker loop: claims one EVAL task at a time from the orchestrator, runs it, and polls again
 * after {@code byov.eval.poll-interval} while nothing is queued. It runs on its own thread.
 *
 * <p>As a {@link SmartLifecycle} in the last phase, {@link #stop(Runnable)} runs first when the
 * context closes (SIGTERM). The evaluation in progress stops at its next stage and releases its
 * task, so that the orchestrator queues it again at once without using an attempt. Spring waits
 * up to {@code byov.eval.shutdown-grace} for that. An evaluation still inside one stage when the
 * grace ends is released from the stopping thread instead. Its thread then gets 409 on its next
 * call and makes no further change to the task.
 */
public class EvalWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EvalWorker.class);

  private final TaskClient client;
  private final EvaluationTaskRunner runner;
  private final EvalProperties properties;
  private final Object pollMonitor = new Object();
  private volatile boolean running;
  private volatile boolean shuttingDown;
  private volatile ClaimedTask current;
  private Thread thread;

  public EvalWorker(TaskClient client, EvaluationTaskRunner runner, EvalProperties properties) {
    this.client = client;
    this.runner = runner;
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    running = true;
    shuttingDown = false;
    thread = new Thread(this::loop, "eval-worker");
    thread.setDaemon(true);
    thread.start();
    log.info("EVAL worker {} started, polling {} every {}", properties.workerId(),
        properties.orchestratorUrl(), properties.pollInterval());
  }

  private void loop() {
    ClaimRequest request = new ClaimRequest(List.of(TaskKind.EVAL), properties.workerId(),
        Map.of("device", properties.device()), null);
    try {
      while (!shuttingDown) {
        Optional<ClaimedTask> task = claim(request);
        if (task.isPresent()) {
          runTask(task.get());
        } else {
          pause(properties.pollInterval());
        }
      }
    } catch (RuntimeException e) {
      log.error("The EVAL worker loop stopped on an unexpected error", e);
    } finally {
      running = false;
    }
  }

  private Optional<ClaimedTask> claim(ClaimRequest request) {
    try {
      return client.claim(request);
    } catch (RuntimeException e) {
      if (!shuttingDown) {
        log.warn("Claiming an EVAL task failed; retrying in {}: {}", properties.pollInterval(),
            e.toString());
      }
      return Optional.empty();
    }
  }

  private void runTask(ClaimedTask task) {
    current = task;
    try {
      runner.run(task, client, () -> shuttingDown);
    } finally {
      current = null;
    }
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

  @Override
  public void stop(Runnable callback) {
    shuttingDown = true;
    ClaimedTask task = current;
    if (task != null) {
      log.info("Shutting down: the evaluation of task {} stops at its next stage and the task is"
          + " released (grace {})", task.taskId(), properties.shutdownGrace());
    }
    synchronized (pollMonitor) {
      pollMonitor.notifyAll();
    }
    Thread waiter = new Thread(() -> {
      awaitLoop(properties.shutdownGrace());
      log.info("EVAL worker {} stopped", properties.workerId());
      callback.run();
    }, "eval-worker-shutdown");
    waiter.setDaemon(true);
    waiter.start();
  }

  @Override
  public void stop() {
    CountDownLatch stopped = new CountDownLatch(1);
    stop(stopped::countDown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits up to {@code grace} for the loop to end, then releases a task whose evaluation is still
   * inside a stage.
   */
  private void awaitLoop(Duration grace) {
    Thread loopThread = thread;
    if (loopThread == null || loopThread == Thread.currentThread()) {
      return;
    }
    try {
      loopThread.join(Math.max(1, grace.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ClaimedTask task = current;
    if (loopThread.isAlive() && task != null) {
      releaseUnfinished(task, grace);
    }
  }

  /**
   * Releases the task of an evaluation that is still inside a stage. NOTE: the evaluation row
   * keeps the status running until the next claim, because the evaluation thread may still
   * write it.
   */
  private void releaseUnfinished(ClaimedTask task, Duration grace) {
    log.warn("The evaluation of task {} of run {} did not reach its next stage within the grace"
        + " period of {}; releasing the task now", task.taskId(), task.runId(), grace);
    try {
      client.release(task.taskId(), task.fencingToken(), "eval-service worker "
          + properties.workerId() + " is shutting down; the evaluation did not stop within "
          + grace);
    } catch (LeaseLostException e) {
      log.info("Task {} was not released: it has ended or been released already ({})",
          task.taskId(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("Releasing task {} failed; its lease expires and uses an attempt", task.taskId(),
          e);
    }
  }

  /** Returns whether the loop runs and no stop has been requested yet. */
  @Override
  public boolean isRunning() {
    return running && !shuttingDown;
  }
}
