package org.byov.core.nn;

import java.util.Locale;

/**
 * Which encoder stages are Bayesian: the last k ({@code last-k}), {@code all}, or {@code none}
 * (plain BYOL).
 *
 * @param kind the scope kind
 * @param k number of trailing stages for {@link Kind#LAST_K}, at least 1; ignored otherwise
 */
public record BayesianScope(Kind kind, int k) {

  /** Scope kinds with their spelling in specs. */
  public enum Kind {
    LAST_K("last-k"),
    ALL("all"),
    NONE("none");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
      return label;
    }

    /** Parses {@code last-k}, {@code all} or {@code none}. */
    @com.fasterxml.jackson.annotation.JsonCreator
  public static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.label.equals(text.toLowerCase(Locale.ROOT))) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "Invalid Bayesian scope '" + text + "': use last-k, all or none");
    }
  }

  public BayesianScope {
    if (kind == null) {
      throw new IllegalArgumentException("bayesianScope must be set: last-k, all or none");
    }
    if (kind == Kind.LAST_K && k < 1) {
      throw new IllegalArgumentException("bayesianScopeK must be at least 1 for last-k, got " + k);
    }
  }

  public static BayesianScope lastK(int k) {
    return new BayesianScope(Kind.LAST_K, k);
  }

  public static BayesianScope all() {
    return new BayesianScope(Kind.ALL, 0);
  }

  public static BayesianScope none() {
    return new BayesianScope(Kind.NONE, 0);
  }

  /** Returns how many trailing stages of {@code stageCount} are Bayesian. */
  public int bayesianStages(int stageCount) {
    switch (kind) {
      case NONE:
        return 0;
      case ALL:
        return stageCount;
      default:
        if (k > stageCount) {
          throw new IllegalArgumentException("bayesianScopeK = " + k + " exceeds the backbone's "
              + stageCount + " stages; use at most " + stageCount + " or scope all");
        }
        return k;
    }
  }

  @Override
  public String toString() {
    return kind == Kind.LAST_K ? "last-" + k : kind.label();
  }
}
