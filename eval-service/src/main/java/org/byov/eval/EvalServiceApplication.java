package org.byov.eval;

import org.byov.common.migrate.MigrateOnlyMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Entry point of the evaluation service, which claims and runs EVAL tasks. With the profile
 * {@code migrate} it only migrates its schema and exits ({@link MigrateOnlyMode}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(MigrateOnlyMode.class)
public class EvalServiceApplication {

  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(EvalServiceApplication.class, args);
    MigrateOnlyMode.exitWhenFinished(context);
  }
}
