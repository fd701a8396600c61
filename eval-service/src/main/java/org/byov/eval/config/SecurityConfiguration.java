package org.byov.eval.config;

import org.byov.common.security.ByovHttpSecurity;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Route rules of the evaluation service: evaluations and reports are readable by admin and runs
 * tokens, and health is open. GET /actuator/prometheus accepts an admin or metrics token, and the
 * other actuator endpoints need admin. Without a web server (migrate-only mode) there are no
 * routes to protect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain evalSecurity(HttpSecurity http, ByovHttpSecurity byov) throws Exception {
    byov.apply(http)
        .authorizeHttpRequests(auth -> auth
            .requestMatchers("/error", "/actuator/health/**", "/actuator/info").permitAll()
            .requestMatchers("/v3/api-docs/**").permitAll()
            .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole("ADMIN", "METRICS")
            .requestMatchers("/actuator/**").hasRole("ADMIN")
            .requestMatchers(HttpMethod.GET, "/api/v1/evaluations/**").hasAnyRole("ADMIN", "RUNS")
            .anyRequest().denyAll());
    return http.build();
  }
}
