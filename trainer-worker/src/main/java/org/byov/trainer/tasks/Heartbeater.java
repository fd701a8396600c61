package org.byov.trainer.tasks;

import java.time.Duration;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends heartbeats for one claimed task on its own thread, at the interval the orchestrator
 * names, with the progress stored in {@link TaskControl}. A reply that announces a cancel, and a
 * 409 (lost lease), are recorded in the control for the training thread to act on. A network
 * error is retried inside {@link TaskClient} with backoff and never ends the heartbeats.
 */
public final class Heartbeater implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);
  private static final int NOT_FOUND = 404;

  private final TaskClient client;
  private final ClaimedTask task;
  private final TaskControl control;
  private final Thread thread;
  private volatile Duration interval;
  private volatile boolean running = true;

  public Heartbeater(TaskClient client, ClaimedTask task, TaskControl control) {
    this.client = client;
    this.task = task;
    this.control = control;
    this.interval = Duration.ofSeconds(Math.max(1, task.heartbeatSeconds()));
    this.thread = new Thread(this::loop, "heartbeat-" + task.taskId().toString().substring(0, 8));
    this.thread.setDaemon(true);
  }

  /** Starts the heartbeat thread. */
  public void start() {
    thread.start();
  }

  /**
   * Sends one heartbeat now, on the calling thread, and returns the reply. Used to confirm the
   * lease right before the final model is published.
   *
   * @throws LeaseLostException when the orchestrator responds with 409
   */
  public HeartbeatResponse beatNow() {
    HeartbeatResponse reply = client.heartbeat(task.taskId(), task.fencingToken(), control.progress());
    apply(reply);
    return reply;
  }

  private void loop() {
    MDC.put("runId", task.runId().toString());
    MDC.put("taskId", task.taskId().toString());
    // The first heartbeat goes out at once: it extends the lease while the data loads.
    boolean first = true;
    while (running && !control.isLeaseLost()) {
      if (!first) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
      first = false;
      if (!running) {
        return;
      }
      try {
        beatNow();
      } catch (LeaseLostException e) {
        log.warn("Heartbeat of task {} got 409; stopping at once: {}", task.taskId(), e.getMessage());
        control.leaseLost(e);
      } catch (TaskClientException e) {
        if (!running) {
          return;
        }
        if (e.status() == NOT_FOUND) {
          log.warn("Heartbeat of task {} got 404 because the task no longer exists; stopping at once", task.taskId());
          control.leaseLost(new LeaseLostException(task.taskId(), e.getMessage()));
        } else {
          log.error("Heartbeat of task {} failed; trying again in {}", task.taskId(), interval, e);
        }
      } catch (RuntimeException e) {
        log.error("Heartbeat of task {} failed; trying again in {}", task.taskId(), interval, e);
      }
    }
  }

  private void apply(HeartbeatResponse reply) {
    if (reply == null) {
      return;
    }
    if (reply.heartbeatSeconds() > 0) {
      interval = Duration.ofSeconds(reply.heartbeatSeconds());
    }
    if (reply.cancelRequested() && !control.stopRequested()) {
      log.info("Run {} was cancelled; task {} stops after the current step", task.runId(), task.taskId());
      control.requestCancel();
    }
  }

  /**
   * Stops the heartbeat thread and waits briefly for it to end. Called before the task's final
   * call (complete, fail, release, cancelled), after which a heartbeat would only get 409.
   * Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
