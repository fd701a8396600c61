package org.byov.common.security;

import java.util.Locale;

/** Roles a bearer token can carry; Spring Security checks them as {@code ROLE_<NAME>}. */
public enum Role {
  /** Everything, including registry promotion and run deletion. */
  ADMIN,
  /** Creates, reads and cancels runs; reads the model registry. */
  RUNS,
  /** Calls the inference API and reads the model registry. */
  INFERENCE,
  /** Calls the internal task protocol. */
  WORKER,
  /**
   * Reads {@code GET /actuator/prometheus} and nothing else, so the Prometheus scrape token cannot
   * read the API or the other actuator endpoints.
   */
  METRICS;

  /** Returns the authority name Spring Security checks, for example {@code ROLE_WORKER}. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** Parses a role name case-insensitively, naming the valid roles when it is unknown. */
  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown role '" + name + "'; use admin, runs, inference, worker or metrics", e);
    }
  }
}
