package org.byov.orchestrator.tasks;

import org.byov.orchestrator.config.PeriodicTask;
import org.springframework.stereotype.Component;

/** Requeues or fails tasks whose lease expired; runs first in each maintenance pass. */
@Component
public class LeaseExpiry implements PeriodicTask {

  private final TaskQueue queue;

  public LeaseExpiry(TaskQueue queue) {
    this.queue = queue;
  }

  @Override
  public void runOnce() {
    queue.expireLeases();
  }

  @Override
  public int order() {
    return -100;
  }
}
