package org.byov.orchestrator.tasks;

import org.byov.orchestrator.config.PeriodicTask;
import org.springframework.stereotype.Component;

/** Requeues or fails tasks whose lease expired; runs first in each maintenance pass. */
@Component
public class LeaseExpiry implements PeriodicTask {

  private final TaskQueue queue;
  private final TaskMetrics metrics;

  public LeaseExpiry(TaskQueue queue, TaskMetrics metrics) {
    this.queue = queue;
    this.metrics = metrics;
  }

  @Override
  public void runOnce() {
    for (TaskQueue.ExpiredLease lease : queue.expireLeases()) {
      metrics.leaseExpired(lease.kind());
    }
  }

  @Override
  public int order() {
    return -100;
  }
}
