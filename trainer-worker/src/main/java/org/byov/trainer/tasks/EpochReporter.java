package org.byov.trainer.tasks;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.TaskClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts per-epoch metrics of one task in order on a background thread, so that a slow or
 * unreachable orchestrator (retried with backoff inside {@link TaskClient}) never holds up
 * training. A 409 is recorded as a lost lease.
 */
public final class EpochReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EpochReporter.class);

  private final TaskClient client;
  private final ClaimedTask task;
  private final TaskControl control;
  private final ExecutorService executor;
  private Future<?> last;

  public EpochReporter(TaskClient client, ClaimedTask task, TaskControl control) {
    this.client = client;
    this.task = task;
    this.control = control;
    this.executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "metrics-" + task.taskId().toString().substring(0, 8));
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Queues the values of one finished epoch for posting. */
  public synchronized void post(int epoch, Map<String, Double> values) {
    last = executor.submit(() -> send(epoch, values));
  }

  private void send(int epoch, Map<String, Double> values) {
    if (control.isLeaseLost()) {
      return;
    }
    try {
      client.metrics(task.taskId(), task.fencingToken(), epoch, values);
    } catch (LeaseLostException e) {
      log.warn("Posting metrics of epoch {} got 409; stopping at once: {}", epoch, e.getMessage());
      control.leaseLost(e);
    } catch (RuntimeException e) {
      log.error("Could not post the metrics of epoch {} of task {}", epoch, task.taskId(), e);
    }
  }

  /** Waits until every queued post has been sent (or has failed). */
  public void flush() throws InterruptedException {
    Future<?> pending;
    synchronized (this) {
      pending = last;
    }
    if (pending == null) {
      return;
    }
    try {
      pending.get();
    } catch (java.util.concurrent.ExecutionException e) {
      log.error("Posting metrics of task {} failed", task.taskId(), e.getCause());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
