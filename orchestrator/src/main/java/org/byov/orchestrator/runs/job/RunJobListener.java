package org.byov.orchestrator.runs.job;

import java.util.UUID;
import org.byov.orchestrator.runs.RunRepository;
import org.byov.orchestrator.runs.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Logs each execution of a run's job, and fails the run when the job itself failed (a step threw),
 * so that a run never stays active without a job to drive it.
 */
class RunJobListener implements JobExecutionListener {

  private static final Logger log = LoggerFactory.getLogger(RunJobListener.class);

  private final RunRepository runs;

  RunJobListener(RunRepository runs) {
    this.runs = runs;
  }

  @Override
  public void afterJob(JobExecution execution) {
    String runId = execution.getJobParameters().getString(RunLauncher.RUN_ID);
    log.info(
        "Job execution {} of run {} ended {} ({})",
        execution.getId(), runId, execution.getStatus(), execution.getExitStatus().getExitCode());
    if (execution.getStatus() == BatchStatus.FAILED && runId != null) {
      String cause =
          execution.getAllFailureExceptions().stream()
              .findFirst()
              .map(Throwable::toString)
              .orElse(execution.getExitStatus().getExitDescription());
      runs.finish(UUID.fromString(runId), RunStatus.FAILED, "The run's job failed: " + cause);
    }
  }
}
