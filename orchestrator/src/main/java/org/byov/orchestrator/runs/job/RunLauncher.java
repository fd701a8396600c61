package org.byov.orchestrator.runs.job;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.byov.common.problem.ApiProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Starts, restarts and recovers the Batch job of a run. A launch first takes the run's owner
 * lease in one conditional insert, so of two concurrent launches exactly one starts a job
 * execution and the other gets 409.
 */
@Component
public class RunLauncher {

  /** Identifying job parameter: the run id. */
  public static final String RUN_ID = "runId";

  private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

  private final JobOperator jobOperator;
  private final JobRepository jobRepository;
  private final Job runJob;
  private final RunOwnership ownership;

  public RunLauncher(
      JobOperator jobOperator, JobRepository jobRepository, Job runJob, RunOwnership ownership) {
    this.jobOperator = jobOperator;
    this.jobRepository = jobRepository;
    this.runJob = runJob;
    this.ownership = ownership;
  }

  /** Ids of the job executions this process started; only others can be left stale by a crash. */
  private final Set<Long> executionsStartedHere = ConcurrentHashMap.newKeySet();

  /**
   * Starts the job of a run that has never been launched; this replica becomes its owner.
   *
   * @throws ApiProblemException 409 when the run was launched already
   */
  public JobExecution launch(UUID runId) {
    if (!ownership.acquireNew(runId)) {
      throw ApiProblemException.conflict("Run " + runId + " was launched already");
    }
    try {
      JobExecution execution = startedHere(jobOperator.start(runJob, parameters(runId)));
      log.info("Launched job execution {} for run {}", execution.getId(), runId);
      return execution;
    } catch (JobExecutionAlreadyRunningException
        | JobInstanceAlreadyCompleteException
        | JobRestartException
        | DataIntegrityViolationException e) {
      throw ApiProblemException.conflict("Run " + runId + " was launched already: " + e.getMessage());
    } catch (Exception e) {
      ownership.drop(runId);
      throw new IllegalStateException("Could not launch the job of run " + runId, e);
    }
  }

  /**
   * Resumes the job of a run this replica owns. An execution left running by a replica that died
   * is first marked failed ({@link JobOperator#recover}); a run without any execution is started.
   * Returns false when the job is running here right now, so there is nothing to resume.
   */
  public boolean resume(UUID runId, boolean recoverStale) throws Exception {
    JobParameters parameters = parameters(runId);
    JobExecution last = jobRepository.getLastJobExecution(RunJobConfiguration.JOB_NAME, parameters);
    if (last == null) {
      startedHere(jobOperator.start(runJob, parameters));
      log.info("Started the job of run {}, which had no execution", runId);
      return true;
    }
    if (recoverStale && executionsStartedHere.contains(last.getId())) {
      // A request can launch a run before the maintenance loop's first pass. An execution this
      // process started is then running, or stopped while its task runs, and resumeFinishedWaits
      // restarts it when the task ends. Only other processes' executions can be stale.
      return false;
    }
    if (last.isRunning()) {
      if (!recoverStale) {
        return false;
      }
      log.warn(
          "Job execution {} of run {} was left {} by a replica that stopped; recovering it",
          last.getId(), runId, last.getStatus());
      last = jobOperator.recover(last);
    }
    if (last.getStatus() == BatchStatus.COMPLETED || last.getStatus() == BatchStatus.ABANDONED) {
      return false;
    }
    JobExecution restarted = startedHere(jobOperator.restart(last));
    log.info("Restarted run {} as job execution {}", runId, restarted.getId());
    return true;
  }

  private JobExecution startedHere(JobExecution execution) {
    executionsStartedHere.add(execution.getId());
    return execution;
  }

  private static JobParameters parameters(UUID runId) {
    return new JobParametersBuilder().addString(RUN_ID, runId.toString()).toJobParameters();
  }
}
