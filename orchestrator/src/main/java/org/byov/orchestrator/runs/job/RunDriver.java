package org.byov.orchestrator.runs.job;

import java.util.List;
import java.util.UUID;
import org.byov.orchestrator.config.MaintenanceLoop;
import org.byov.orchestrator.config.OrchestratorProperties;
import org.byov.orchestrator.config.PeriodicTask;
import org.byov.orchestrator.runs.RunRepository;
import org.byov.orchestrator.runs.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Drives the runs this replica owns, once per maintenance pass: renews its owner leases, restarts
 * jobs whose task has finished, takes over runs whose owner lease expired (another replica died),
 * and launches runs that no replica owns. On the first pass it also recovers the runs it owned
 * before a restart under the same replica id. On shutdown it lets its leases expire at once.
 */
@Component
public class RunDriver implements PeriodicTask, MaintenanceLoop.ShutdownAware {

  private static final Logger log = LoggerFactory.getLogger(RunDriver.class);

  private final RunOwnership ownership;
  private final RunLauncher launcher;
  private final RunRepository runs;
  private final OrchestratorProperties properties;
  private boolean firstPass = true;

  public RunDriver(
      RunOwnership ownership,
      RunLauncher launcher,
      RunRepository runs,
      OrchestratorProperties properties) {
    this.ownership = ownership;
    this.launcher = launcher;
    this.runs = runs;
    this.properties = properties;
  }

  @Override
  public void runOnce() {
    ownership.renewOwned();
    if (firstPass) {
      firstPass = false;
      for (UUID runId : ownership.ownedActive()) {
        resume(runId, true, "recovering after a restart of replica " + properties.replicaId());
      }
    }
    resumeFinishedWaits();
    takeOverExpired();
    if (properties.autoLaunch()) {
      launchOrphans();
    }
  }

  @Override
  public void onShutdown() {
    if (!properties.releaseOnShutdown()) {
      return;
    }
    int released = ownership.releaseOwned();
    log.info("Replica {} released the owner leases of {} runs", properties.replicaId(), released);
  }

  @Override
  public int order() {
    return 0;
  }

  private void resumeFinishedWaits() {
    for (RunOwnership.WaitingRun waiting : ownership.readyToResume()) {
      if (!runs.clearWaitingStage(waiting.runId(), waiting.stage())) {
        continue;
      }
      boolean resumed = resume(waiting.runId(), false, "its " + waiting.stage() + " task finished");
      if (!resumed) {
        // The job has not stopped yet; try again on the next pass.
        runs.setWaitingStage(waiting.runId(), waiting.stage());
      }
    }
  }

  private void takeOverExpired() {
    List<UUID> expired = ownership.expired();
    for (UUID runId : expired) {
      if (ownership.takeOverExpired(runId)) {
        runs.event(runId, "OWNER_CHANGED", "Replica " + properties.replicaId()
            + " took over the run after its owner lease expired");
        resume(runId, true, "its owner lease expired");
      }
    }
  }

  private void launchOrphans() {
    for (UUID runId : ownership.orphans()) {
      try {
        launcher.launch(runId);
        runs.event(runId, "LAUNCHED", "Replica " + properties.replicaId() + " launched the run");
      } catch (RuntimeException e) {
        log.debug("Run {} was launched elsewhere: {}", runId, e.getMessage());
      }
    }
  }

  private boolean resume(UUID runId, boolean recoverStale, String reason) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId.toString())) {
      boolean resumed = launcher.resume(runId, recoverStale);
      if (resumed) {
        log.info("Resumed run {}: {}", runId, reason);
      }
      return resumed;
    } catch (Exception e) {
      log.warn("Could not resume run {} ({}): {}", runId, reason, e.toString());
      if (e instanceof org.springframework.batch.core.launch.JobRestartException
          && e.getMessage() != null && e.getMessage().contains("not restartable")) {
        runs.finish(runId, RunStatus.FAILED, "The run's job cannot be restarted: " + e.getMessage());
      }
      return false;
    }
  }
}
