package org.byov.inference.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token security: the inference routes need a token with the {@code inference} (or {@code
 * admin}) role, other actuator routes need {@code admin}, and only health and the API
 * description are open. Tokens come from {@code byov.security.tokens[i].{name,token,roles}}.
 */
@Configuration
@EnableConfigurationProperties(SecurityConfiguration.TokenProperties.class)
public class SecurityConfiguration {

  /**
   * Configured tokens.
   *
   * @param enabled false runs every request as a caller with every role (one trusted machine)
   */
  @ConfigurationProperties("byov.security")
  public record TokenProperties(@DefaultValue("true") boolean enabled,
      @DefaultValue List<Token> tokens) {

    /** One token with its caller name and roles (admin, runs, inference, worker). */
    public record Token(String name, String token, List<String> roles) {}
  }

  @Bean
  SecurityFilterChain inferenceSecurity(HttpSecurity http, TokenProperties tokens)
      throws Exception {
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .exceptionHandling(e -> e
            .authenticationEntryPoint((request, response, ex) -> problem(response, 401,
                "Unauthorized", "A bearer token is required: send Authorization: Bearer <token>"))
            .accessDeniedHandler((request, response, ex) -> problem(response, 403, "Forbidden",
                "The token lacks the role this route needs (inference)")))
        .addFilterBefore(new BearerFilter(tokens), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth
            .requestMatchers("/v2/health/**", "/actuator/health", "/actuator/health/**", "/error",
                "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
            .requestMatchers("/actuator/**").hasRole("ADMIN")
            .anyRequest().hasAnyRole("INFERENCE", "ADMIN"));
    return http.build();
  }

  private static void problem(HttpServletResponse response, int status, String title,
      String detail) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"" + title
        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Authenticates {@code Authorization: Bearer <token>} against the configured tokens. */
  private static final class BearerFilter extends OncePerRequestFilter {

    private final TokenProperties tokens;

    BearerFilter(TokenProperties tokens) {
      this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
        FilterChain chain) throws ServletException, IOException {
      if (!tokens.enabled()) {
        authenticate("local", List.of("admin", "runs", "inference", "worker"));
      } else {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
          byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
          for (TokenProperties.Token token : tokens.tokens()) {
            if (token.token() != null && MessageDigest.isEqual(presented,
                token.token().getBytes(StandardCharsets.UTF_8))) {
              authenticate(token.name(), token.roles());
              break;
            }
          }
        }
      }
      chain.doFilter(request, response);
    }

    private static void authenticate(String name, List<String> roles) {
      List<SimpleGrantedAuthority> authorities = new ArrayList<>();
      for (String role : roles) {
        authorities.add(new SimpleGrantedAuthority("ROLE_" + role.trim().toUpperCase(
            java.util.Locale.ROOT)));
      }
      SecurityContextHolder.getContext().setAuthentication(
          UsernamePasswordAuthenticationToken.authenticated(name, null, authorities));
    }
  }
}
