package org.byov.inference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the inference API. */
@SpringBootApplication
public class InferenceApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(InferenceApiApplication.class, args);
  }
}
