package org.byov.eval.worker;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.Progress;
import org.byov.common.task.TaskClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends heartbeats for one claimed task from its own thread while the suite runs, and records
 * whether the lease was lost or a cancel was requested, so that the suite can stop at its next
 * stage.
 */
final class TaskHeartbeat implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskHeartbeat.class);

  /** The outcome of the latest heartbeat. */
  enum State {
    RUNNING,
    CANCEL_REQUESTED,
    LEASE_LOST
  }

  private final TaskClient client;
  private final UUID taskId;
  private final long fencingToken;
  private final AtomicReference<String> message = new AtomicReference<>("claimed");
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
  private final ScheduledExecutorService scheduler;

  TaskHeartbeat(TaskClient client, UUID taskId, long fencingToken, int intervalSeconds) {
    this.client = client;
    this.taskId = taskId;
    this.fencingToken = fencingToken;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "eval-heartbeat-" + taskId);
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(1, intervalSeconds);
    scheduler.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.SECONDS);
  }

  /** Sets the status message of the next heartbeat. */
  void progress(String stage, double fraction) {
    message.set(String.format(java.util.Locale.ROOT, "%s (%.0f%%)", stage, 100 * fraction));
  }

  State state() {
    return state.get();
  }

  private void beat() {
    if (state.get() == State.LEASE_LOST) {
      return;
    }
    try {
      HeartbeatResponse response = client.heartbeat(taskId, fencingToken,
          new Progress(null, null, null, message.get()));
      if (response != null && response.cancelRequested()) {
        state.compareAndSet(State.RUNNING, State.CANCEL_REQUESTED);
      }
    } catch (LeaseLostException e) {
      log.warn("Lost the lease of task {} while evaluating: {}", taskId, e.getMessage());
      state.set(State.LEASE_LOST);
    } catch (RuntimeException e) {
      log.warn("Heartbeat of task {} failed; retrying at the next interval: {}", taskId,
          e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
