package org.byov.orchestrator.config;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.byov.common.migrate.MigrateOnlyMode;
import org.byov.orchestrator.tasks.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Starts the orchestrator's background work. On start it first extends every active task lease by
 * one lease period, before any expiry pass can run, so that a restart does not expire the leases
 * of workers that kept heartbeating into the void. Then it runs the {@link PeriodicTask}s on one
 * thread. On stop it lets each {@link ShutdownAware} task hand its work back. It does not exist in
 * migrate-only mode.
 */
@Component
@Profile("!" + MigrateOnlyMode.PROFILE)
public class MaintenanceLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceLoop.class);

  private final TaskQueue queue;
  private final List<PeriodicTask> tasks;
  private final OrchestratorProperties properties;
  private ScheduledExecutorService scheduler;

  public MaintenanceLoop(
      TaskQueue queue, List<PeriodicTask> tasks, OrchestratorProperties properties) {
    this.queue = queue;
    this.tasks = tasks.stream().sorted(Comparator.comparingInt(PeriodicTask::order)).toList();
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    int extended = queue.extendActiveLeases();
    log.info(
        "Replica {} started: extended {} active task leases by {}",
        properties.replicaId(), extended, properties.leasePeriod());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "byov-maintenance");
              thread.setDaemon(true);
              return thread;
            });
    long period = properties.maintenanceInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::runPass, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler == null) {
      return;
    }
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler = null;
    for (PeriodicTask task : tasks) {
      if (task instanceof ShutdownAware aware) {
        try {
          aware.onShutdown();
        } catch (RuntimeException e) {
          log.warn("Shutdown step of {} failed: {}", task.getClass().getSimpleName(), e.toString());
        }
      }
    }
    log.info("Replica {} stopped its maintenance loop", properties.replicaId());
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** Runs after the web server and Batch are up, and stops before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }

  private void runPass() {
    for (PeriodicTask task : tasks) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        task.runOnce();
      } catch (RuntimeException e) {
        log.warn("Periodic task {} failed: {}", task.getClass().getSimpleName(), e.toString(), e);
      }
    }
  }

  /** A periodic task that must act when the replica shuts down. */
  public interface ShutdownAware {
    void onShutdown();
  }
}
