package org.byov.common.security;

import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authenticated caller of a request: its configured name and roles. */
public record Caller(String name, Set<Role> roles) {

  public Caller {
    roles = Set.copyOf(roles);
  }

  /** Returns whether the caller has the role or is an admin. */
  public boolean may(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  /** Returns the caller of the current request, if it is authenticated. */
  public static Optional<Caller> current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
      return Optional.of(caller);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name;
  }
}
