package org.byov.orchestrator.tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.config.PeriodicTask;
import org.springframework.stereotype.Component;

/**
 * Task-queue meters: {@code byov.tasks.queued} and {@code byov.tasks.running} gauges per kind
 * (refreshed each maintenance pass from one count query), the {@code byov.tasks.claim} timer
 * tagged by outcome, and the {@code byov.tasks.lease.expired} counter per kind. Tags are bounded:
 * never a task or run id.
 */
@Component
public class TaskMetrics implements PeriodicTask {

  private final TaskQueue queue;
  private final MeterRegistry registry;
  private final Map<TaskKind, AtomicLong> queued = new EnumMap<>(TaskKind.class);
  private final Map<TaskKind, AtomicLong> running = new EnumMap<>(TaskKind.class);
  private final Map<TaskKind, Counter> leaseExpiries = new EnumMap<>(TaskKind.class);
  private final Timer claimedTimer;
  private final Timer emptyTimer;

  public TaskMetrics(TaskQueue queue, MeterRegistry registry) {
    this.queue = queue;
    this.registry = registry;
    for (TaskKind kind : TaskKind.values()) {
      queued.put(kind, gauge("byov.tasks.queued", "Tasks waiting for a claim", kind));
      running.put(kind, gauge("byov.tasks.running", "Tasks claimed or dispatched", kind));
      leaseExpiries.put(kind, Counter.builder("byov.tasks.lease.expired")
          .description("Task leases that expired because the worker stopped heartbeating")
          .tag("kind", kind.name())
          .register(registry));
    }
    claimedTimer = claimTimer(registry, "claimed");
    emptyTimer = claimTimer(registry, "empty");
  }

  /** Counts one expired lease of a task of {@code kind}. */
  public void leaseExpired(TaskKind kind) {
    leaseExpiries.get(kind).increment();
  }

  /** Returns the claim timer for an outcome: {@code claimed} or {@code empty}. */
  public Timer claimTimer(boolean claimed) {
    return claimed ? claimedTimer : emptyTimer;
  }

  @Override
  public void runOnce() {
    Map<TaskKind, Long> queuedNow = new EnumMap<>(TaskKind.class);
    Map<TaskKind, Long> runningNow = new EnumMap<>(TaskKind.class);
    for (TaskQueue.KindStatusCount count : queue.countByKindAndStatus()) {
      Map<TaskKind, Long> target = count.status() == TaskStatus.QUEUED ? queuedNow : runningNow;
      target.merge(count.kind(), count.count(), Long::sum);
    }
    for (TaskKind kind : TaskKind.values()) {
      queued.get(kind).set(queuedNow.getOrDefault(kind, 0L));
      running.get(kind).set(runningNow.getOrDefault(kind, 0L));
    }
  }

  @Override
  public int order() {
    return 100;
  }

  private static Timer claimTimer(MeterRegistry registry, String outcome) {
    return Timer.builder("byov.tasks.claim")
        .description("Latency of task claims")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry);
  }

  private AtomicLong gauge(String name, String description, TaskKind kind) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get)
        .description(description)
        .tag("kind", kind.name())
        .register(registry);
    return value;
  }
}
