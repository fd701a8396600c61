package org.byov.orchestrator;

import org.byov.common.migrate.MigrateOnlyMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Entry point of the orchestrator: runs API, Batch jobs, task queue and model registry. With the
 * profile {@code migrate} it only migrates its schema and exits ({@link MigrateOnlyMode}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(MigrateOnlyMode.class)
public class OrchestratorApplication {

  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(OrchestratorApplication.class, args);
    MigrateOnlyMode.exitWhenFinished(context);
  }
}
