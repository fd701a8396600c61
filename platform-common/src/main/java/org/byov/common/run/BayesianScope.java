package org.byov.common.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which encoder layers carry weight distributions. */
public enum BayesianScope {
  /** The last k encoder layers. */
  @JsonProperty("last-k")
  LAST_K,
  /** Every encoder layer. */
  @JsonProperty("all")
  ALL,
  /** No Bayesian layer (plain BYOL). */
  @JsonProperty("none")
  NONE
}
