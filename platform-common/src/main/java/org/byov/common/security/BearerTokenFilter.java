package org.byov.common.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>} and authenticates the request. A request without the
 * header stays anonymous, so protected routes return 401 through the entry point; a request with
 * an unknown token gets 401 at once. Add it to a security filter chain only, never as a bean: a
 * filter bean would also be registered as a servlet filter and run twice.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

  private static final String PREFIX = "bearer ";

  private final AuthenticationManager authenticationManager;
  private final AuthenticationEntryPoint entryPoint;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  public BearerTokenFilter(
      AuthenticationManager authenticationManager, AuthenticationEntryPoint entryPoint) {
    this.authenticationManager = authenticationManager;
    this.entryPoint = entryPoint;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      chain.doFilter(request, response);
      return;
    }

    String token = header.substring(PREFIX.length()).trim();
    Authentication authenticated;
    try {
      authenticated = authenticationManager.authenticate(CallerAuthentication.unauthenticated(token));
    } catch (AuthenticationException e) {
      contexts.clearContext();
      entryPoint.commence(request, response, e);
      return;
    }

    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(authenticated);
    contexts.setContext(context);
    chain.doFilter(request, response);
  }
}
