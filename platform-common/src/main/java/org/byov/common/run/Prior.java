package org.byov.common.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Prior of the Bayesian weights. */
public enum Prior {
  /** N(0, s^2) with s = priorSigma. */
  @JsonProperty("standard-normal")
  STANDARD_NORMAL,
  /** N(teacher mean, s^2) with s = priorSigma. */
  @JsonProperty("teacher")
  TEACHER,
  /** N(teacher mean, teacher sigma^2). */
  @JsonProperty("teacher-variance")
  TEACHER_VARIANCE
}
