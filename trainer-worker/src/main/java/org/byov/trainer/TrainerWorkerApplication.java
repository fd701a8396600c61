package org.byov.trainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the trainer worker, which claims and runs TRAIN tasks. */
@SpringBootApplication
public class TrainerWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(TrainerWorkerApplication.class, args);
  }
}
