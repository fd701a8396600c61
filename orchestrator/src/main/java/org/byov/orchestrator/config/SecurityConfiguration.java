package org.byov.orchestrator.config;

import org.byov.common.security.ByovHttpSecurity;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Route rules of the orchestrator. The task protocol accepts worker tokens only. Runs and
 * inference tokens may read the registry. Promotion, rollback, evaluation of a version and run
 * deletion need admin. Everything else under /api needs a runs or admin token. GET
 * /actuator/prometheus accepts an admin or metrics token. The other actuator endpoints, except
 * health and info, need admin. Without a web server (migrate-only mode) there are no routes to
 * protect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain orchestratorSecurity(HttpSecurity http, ByovHttpSecurity byov)
      throws Exception {
    byov.apply(http)
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/error", "/actuator/health/**", "/actuator/info")
                    .permitAll()
                    .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                    .permitAll()
                    .requestMatchers("/internal/**")
                    .hasRole("WORKER")
                    .requestMatchers(HttpMethod.GET, "/actuator/prometheus")
                    .hasAnyRole("ADMIN", "METRICS")
                    .requestMatchers("/actuator/**")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.GET, "/api/v1/models/**", "/api/v1/models")
                    .hasAnyRole("ADMIN", "RUNS", "INFERENCE")
                    .requestMatchers("/api/v1/models/**")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.DELETE, "/api/v1/runs/**")
                    .hasRole("ADMIN")
                    .requestMatchers("/api/**")
                    .hasAnyRole("ADMIN", "RUNS")
                    .anyRequest()
                    .denyAll());
    return http.build();
  }

  /**
   * Keeps Spring Security's authentication and authorization observations but not its filter-chain
   * observation. That one wraps each of the chain's filters in an observation with before and
   * after events on every request. In the claim benchmark that took about a tenth of the
   * orchestrator's CPU per claim. The request as a whole is still timed by {@code
   * http.server.requests}.
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
  }
}
