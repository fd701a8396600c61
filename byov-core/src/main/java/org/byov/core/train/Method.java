package org.byov.core.train;

import java.util.Locale;

/** The training methods, with their spelling in specs. */
public enum Method {
  /** BYOL with a Bayesian encoder tail and the KL term: the generalised ELBO. */
  BYOV("byov"),
  /** Plain BYOL: no Bayesian layers, no KL term. */
  BYOL("byol"),
  /** Supervised Bayes by Backprop: cross-entropy with labels plus the KL term, same scope. */
  SUPERVISED_BBB("supervised-bbb");

  private final String label;

  Method(String label) {
    this.label = label;
  }

  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return label;
  }

  /** Returns whether the method trains an online network against an EMA target. */
  public boolean selfSupervised() {
    return this != SUPERVISED_BBB;
  }

  /** Parses {@code byov}, {@code byol} or {@code supervised-bbb}. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static Method parse(String text) {
    for (Method method : values()) {
      if (method.label.equals(text.toLowerCase(Locale.ROOT))) {
        return method;
      }
    }
    throw new IllegalArgumentException(
        "Invalid method '" + text + "': use byov, byol or supervised-bbb");
  }
}
