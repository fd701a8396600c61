package org.byov.common.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A bearer token on its way through Spring Security: unauthenticated it carries the raw token,
 * authenticated it carries the {@link Caller} and its roles and no longer the token.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

  private final transient Caller caller;
  private transient String token;

  private CallerAuthentication(String token) {
    super(List.of());
    this.caller = null;
    this.token = token;
    setAuthenticated(false);
  }

  private CallerAuthentication(Caller caller) {
    super(caller.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
    this.caller = caller;
    this.token = null;
    setAuthenticated(true);
  }

  /** Creates an authentication request for a raw bearer token. */
  public static CallerAuthentication unauthenticated(String token) {
    return new CallerAuthentication(token);
  }

  /** Creates the authentication of a verified caller. */
  public static CallerAuthentication authenticated(Caller caller) {
    return new CallerAuthentication(caller);
  }

  @Override
  public Object getCredentials() {
    return token;
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller == null ? "" : caller.name();
  }

  @Override
  public void eraseCredentials() {
    token = null;
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
