package org.byov.common.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Training method of a run. */
public enum Method {
  /** BYOL with Bayes-by-Backprop layers in the encoder. */
  @JsonProperty("byov")
  BYOV,
  /** Plain BYOL, the deterministic baseline. */
  @JsonProperty("byol")
  BYOL,
  /** Cross-entropy with labels and the same Bayesian scope, the supervised baseline. */
  @JsonProperty("supervised-bbb")
  SUPERVISED_BBB;

  /** Returns the name used in JSON and in query parameters. */
  public String wireName() {
    return switch (this) {
      case BYOV -> "byov";
      case BYOL -> "byol";
      case SUPERVISED_BBB -> "supervised-bbb";
    };
  }
}
