package org.byov.orchestrator.runs.job;

import org.byov.orchestrator.config.OrchestratorProperties;
import org.byov.orchestrator.runs.RunRepository;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The Batch job of a run: train, evaluate, register. A stage step creates its task and returns
 * at once; while the task is unfinished it exits WAITING, which stops the job
 * ({@code stopAndRestart}) so that no thread, transaction or connection waits for the worker.
 * {@link RunDriver} restarts the stopped job when the task has finished, and the job resumes at
 * the waiting step. Steps may start again after completing, because a resumed step re-checks
 * its task.
 */
@Configuration(proxyBeanMethods = false)
public class RunJobConfiguration {

  /** Name of the job; one job instance per run, identified by the runId parameter. */
  public static final String JOB_NAME = "byov-run";

  /** Exit status of a stage step whose task is not finished. */
  public static final String WAITING = "WAITING";

  /** Exit status of a step that ended the run (failed or cancelled). */
  public static final String RUN_ENDED = "RUN_ENDED";

  @Bean
  Job runJob(
      JobRepository jobRepository,
      Step trainStep,
      Step evaluateStep,
      Step registerStep,
      RunRepository runs) {
    return new JobBuilder(JOB_NAME, jobRepository)
        .start(trainStep)
        .on(WAITING)
        .stopAndRestart(trainStep)
        .from(trainStep)
        .on(RUN_ENDED)
        .end()
        .from(trainStep)
        .on("FAILED")
        .fail()
        .from(trainStep)
        .on("*")
        .to(evaluateStep)
        .from(evaluateStep)
        .on(WAITING)
        .stopAndRestart(evaluateStep)
        .from(evaluateStep)
        .on(RUN_ENDED)
        .end()
        .from(evaluateStep)
        .on("FAILED")
        .fail()
        .from(evaluateStep)
        .on("*")
        .to(registerStep)
        .from(registerStep)
        .on("FAILED")
        .fail()
        .from(registerStep)
        .on("*")
        .end()
        .end()
        .listener(new RunJobListener(runs))
        .build();
  }

  @Bean
  Step trainStep(JobRepository jobRepository, PlatformTransactionManager tx, RunStages stages) {
    return new StepBuilder(RunStages.TRAIN, jobRepository)
        .tasklet(stages::train, tx)
        .allowStartIfComplete(true)
        .build();
  }

  @Bean
  Step evaluateStep(JobRepository jobRepository, PlatformTransactionManager tx, RunStages stages) {
    return new StepBuilder(RunStages.EVALUATE, jobRepository)
        .tasklet(stages::evaluate, tx)
        .allowStartIfComplete(true)
        .build();
  }

  @Bean
  Step registerStep(JobRepository jobRepository, PlatformTransactionManager tx, RunStages stages) {
    return new StepBuilder(RunStages.REGISTER, jobRepository)
        .tasklet(stages::register, tx)
        .allowStartIfComplete(true)
        .build();
  }

  /**
   * The bounded pool that executes job steps. Steps never wait for workers, so a few threads
   * serve any number of runs; the queue absorbs bursts of launches and restarts.
   */
  @Bean
  @BatchTaskExecutor
  TaskExecutor batchTaskExecutor(OrchestratorProperties properties) {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(properties.jobThreads());
    executor.setMaxPoolSize(properties.jobThreads());
    executor.setQueueCapacity(10_000);
    executor.setThreadNamePrefix("byov-job-");
    executor.setWaitForTasksToCompleteOnShutdown(true);
    executor.setAwaitTerminationSeconds(30);
    executor.initialize();
    return executor;
  }
}
