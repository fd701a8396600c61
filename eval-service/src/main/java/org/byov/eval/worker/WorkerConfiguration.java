package org.byov.eval.worker;

import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.eval.config.EvalProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** The task client and, unless {@code byov.eval.worker-enabled=false}, the worker loop. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

  @Bean
  TaskClient evalTaskClient(RestClient.Builder builder, EvalProperties properties) {
    String token = properties.workerToken() == null ? "" : properties.workerToken();
    return TaskClient.create(builder, properties.orchestratorUrl(), token,
        RetryBackoff.untilLeaseLost());
  }

  @Bean
  @ConditionalOnProperty(name = "byov.eval.worker-enabled", havingValue = "true",
      matchIfMissing = true)
  EvalWorker evalWorker(TaskClient client, EvaluationTaskRunner runner,
      EvalProperties properties) {
    return new EvalWorker(client, runner, properties);
  }
}
