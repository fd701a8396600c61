package org.byov.trainer;

import java.util.Map;
import org.byov.trainer.tasks.WorkerLoop;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point of the trainer worker, which claims and runs TRAIN tasks. With BYOV_WORKER_TASK_ID
 * set it runs that one task and exits with {@link WorkerLoop}'s exit code (0 on success).
 */
@SpringBootApplication
public class TrainerWorkerApplication {

  /** Spring reads trainer-worker.yml, so an orchestrator in the same JVM keeps application.yml. */
  public static final String CONFIG_NAME = "trainer-worker";

  public static void main(String[] args) throws InterruptedException {
    ConfigurableApplicationContext context = builder().run(args);
    WorkerLoop loop = context.getBean(WorkerLoop.class);
    if (context.getEnvironment().getProperty("byov.worker.task-id", "").isBlank()) {
      return;
    }
    int code = loop.awaitExitCode();
    System.exit(SpringApplication.exit(context, () -> code));
  }

  /** Returns a builder with the worker's configuration name; tests start the worker with it. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(TrainerWorkerApplication.class)
        .properties(Map.of("spring.config.name", CONFIG_NAME));
  }
}
