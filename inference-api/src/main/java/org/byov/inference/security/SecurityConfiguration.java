package org.byov.inference.security;

import org.byov.common.security.ByovHttpSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer-token security (platform-common): the inference routes need a token with the {@code
 * inference} or {@code admin} role, and {@code GET /actuator/prometheus} needs {@code metrics} or
 * {@code admin}. The other actuator routes need {@code admin}, and only the health routes and the
 * API description are open. Tokens are configured under {@code
 * byov.security.tokens[i].{name,token,roles}} or {@code byov.security.token-list}.
 */
@Configuration
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain inferenceSecurity(HttpSecurity http, ByovHttpSecurity byov)
      throws Exception {
    byov.apply(http).authorizeHttpRequests(auth -> auth
        .requestMatchers("/v2/health/**", "/actuator/health", "/actuator/health/**", "/error",
            "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole("ADMIN", "METRICS")
        .requestMatchers("/actuator/**").hasRole("ADMIN")
        .anyRequest().hasAnyRole("INFERENCE", "ADMIN"));
    return http.build();
  }
}
