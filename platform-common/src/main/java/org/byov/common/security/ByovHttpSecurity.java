package org.byov.common.security;

import java.util.EnumSet;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the BYOV security defaults to a service's filter chain: stateless, no CSRF, no form or
 * basic login, the bearer-token filter, and problem documents for 401 and 403. The service then
 * adds its own {@code authorizeHttpRequests} rules, for example:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain api(HttpSecurity http, ByovHttpSecurity byov) throws Exception {
 *   byov.apply(http).authorizeHttpRequests(auth -> auth
 *       .requestMatchers("/internal/**").hasRole("WORKER")
 *       .anyRequest().authenticated());
 *   return http.build();
 * }
 * }</pre>
 *
 * <p>With {@code byov.security.enabled=false} every request is authenticated as the caller
 * {@code local} with every role.
 */
public final class ByovHttpSecurity {

  private final ByovSecurityProperties properties;
  private final AuthenticationManager authenticationManager;
  private final ProblemSecurityHandlers handlers;

  public ByovHttpSecurity(
      ByovSecurityProperties properties,
      AuthenticationManager authenticationManager,
      ProblemSecurityHandlers handlers) {
    this.properties = properties;
    this.authenticationManager = authenticationManager;
    this.handlers = handlers;
  }

  /** Applies the defaults and returns the same builder. */
  public HttpSecurity apply(HttpSecurity http) throws Exception {
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
    OncePerRequestFilter filter =
        properties.isEnabled()
            ? new BearerTokenFilter(authenticationManager, handlers)
            : new LocalCallerFilter();
    http.addFilterBefore(filter, AnonymousAuthenticationFilter.class);
    return http;
  }

  /** Authenticates every request as the caller {@code local} with every role. */
  private static final class LocalCallerFilter extends OncePerRequestFilter {

    private static final Caller LOCAL = new Caller("local", EnumSet.allOf(Role.class));

    @Override
    protected void doFilterInternal(
        jakarta.servlet.http.HttpServletRequest request,
        jakarta.servlet.http.HttpServletResponse response,
        jakarta.servlet.FilterChain chain)
        throws jakarta.servlet.ServletException, java.io.IOException {
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(CallerAuthentication.authenticated(LOCAL));
      SecurityContextHolder.setContext(context);
      chain.doFilter(request, response);
    }
  }
}
