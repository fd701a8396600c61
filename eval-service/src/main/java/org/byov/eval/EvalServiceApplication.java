package org.byov.eval;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the evaluation service, which claims and runs EVAL tasks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EvalServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(EvalServiceApplication.class, args);
  }
}
