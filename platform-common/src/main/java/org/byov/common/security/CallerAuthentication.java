package org.byov.common.security;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A bearer token on its way through Spring Security: unauthenticated it carries the raw token,
 * authenticated it carries the {@link Caller} and its roles and no longer the token.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

  /** The authority of each role, built once instead of on every authenticated request. */
  private static final Map<Role, GrantedAuthority> AUTHORITIES = authorities();

  private final transient Caller caller;
  private transient String token;

  private CallerAuthentication(String token) {
    super(List.of());
    this.caller = null;
    this.token = token;
    setAuthenticated(false);
  }

  private CallerAuthentication(Caller caller) {
    super(caller.roles().stream().map(AUTHORITIES::get).toList());
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

  private static Map<Role, GrantedAuthority> authorities() {
    Map<Role, GrantedAuthority> authorities = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      authorities.put(role, new SimpleGrantedAuthority(role.authority()));
    }
    return authorities;
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
