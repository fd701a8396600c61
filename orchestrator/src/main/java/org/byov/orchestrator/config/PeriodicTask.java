package org.byov.orchestrator.config;

/**
 * Work that {@link MaintenanceLoop} runs once per {@code byov.orchestrator.maintenance-interval},
 * in order of {@link #order()}, on its single thread.
 */
public interface PeriodicTask {

  /** Does one pass of the work; an exception is logged and the next pass runs as usual. */
  void runOnce();

  /** Position among the periodic tasks; lower runs first. */
  default int order() {
    return 0;
  }
}
