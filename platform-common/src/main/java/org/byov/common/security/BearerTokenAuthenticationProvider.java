package org.byov.common.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Authenticates a {@link CallerAuthentication} request against the {@link TokenRegistry}. */
public final class BearerTokenAuthenticationProvider implements AuthenticationProvider {

  private final TokenRegistry registry;

  public BearerTokenAuthenticationProvider(TokenRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = (String) authentication.getCredentials();
    return registry
        .authenticate(token)
        .map(CallerAuthentication::authenticated)
        .orElseThrow(() -> new BadCredentialsException("The bearer token is not valid"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return CallerAuthentication.class.isAssignableFrom(authentication);
  }
}
