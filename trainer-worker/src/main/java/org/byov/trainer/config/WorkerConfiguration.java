package org.byov.trainer.config;

import ai.djl.Device;
import java.time.Duration;
import org.byov.common.security.ByovHttpSecurity;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.trainer.runtime.DeviceSelector;
import org.byov.trainer.runtime.NativeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

/**
 * Beans of the worker: the task client, the training device (after the native settings), and the
 * HTTP security of its actuator-only port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  /** Connect timeout of task calls; a timed-out call is retried like any network error. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Read timeout of task calls, well above the orchestrator's normal reply time. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  @Bean
  TaskClient taskClient(WorkerProperties properties, RestClient.Builder builder) {
    if (properties.workerToken().isBlank()) {
      log.warn("BYOV_WORKER_TOKEN is not set, so the orchestrator rejects every task call with 401; set it");
    }
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(CONNECT_TIMEOUT);
    requests.setReadTimeout(READ_TIMEOUT);
    RetryBackoff backoff =
        new RetryBackoff(properties.retryInitial(), properties.retryMax(), 2.0, Integer.MAX_VALUE);
    return TaskClient.create(
        builder.requestFactory(requests), properties.orchestratorUrl(), properties.workerToken(),
        backoff);
  }

  /** Selects the training device after applying the thread settings, because this loads the engine. */
  @Bean
  Device trainingDevice(WorkerProperties properties) {
    NativeSettings.apply(properties.threads());
    return DeviceSelector.select(properties.device());
  }

  /**
   * Health is public for the probes. {@code GET /actuator/prometheus} accepts a metrics or admin
   * token, other methods on that path need admin, and every other request is denied.
   */
  @Bean
  SecurityFilterChain workerSecurity(HttpSecurity http, ByovHttpSecurity byov) throws Exception {
    byov.apply(http)
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/error", "/actuator/health/**", "/actuator/health")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/actuator/prometheus")
                    .hasAnyRole("ADMIN", "METRICS")
                    .requestMatchers("/actuator/prometheus")
                    .hasRole("ADMIN")
                    .anyRequest()
                    .denyAll());
    return http.build();
  }
}
