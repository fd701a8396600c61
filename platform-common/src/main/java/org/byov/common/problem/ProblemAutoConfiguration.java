package org.byov.common.problem;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** Registers {@link ProblemExceptionHandler} in every BYOV web service. */
@AutoConfiguration(
    beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemAutoConfiguration {

  @Bean
  ProblemExceptionHandler byovProblemExceptionHandler() {
    return new ProblemExceptionHandler();
  }

  @Bean
  ProblemErrorController byovProblemErrorController() {
    return new ProblemErrorController();
  }
}
