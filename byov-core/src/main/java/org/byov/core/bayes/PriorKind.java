package org.byov.core.bayes;

import java.util.Locale;

/** The prior families of the KL term, with their spelling in specs. */
public enum PriorKind {
  /** N(0, s^2) with a fixed prior sigma s. */
  STANDARD_NORMAL("standard-normal"),
  /** N(teacher mu, s^2): centred on the EMA target's posterior means, fixed sigma s. */
  TEACHER("teacher"),
  /** N(teacher mu, teacher sigma^2): the EMA target's means and its EMA of sigma. */
  TEACHER_VARIANCE("teacher-variance");

  private final String label;

  PriorKind(String label) {
    this.label = label;
  }

  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return label;
  }

  /** Returns whether the prior needs an EMA teacher (so only BYOV can use it). */
  public boolean needsTeacher() {
    return this != STANDARD_NORMAL;
  }

  /** Parses {@code standard-normal}, {@code teacher} or {@code teacher-variance}. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static PriorKind parse(String text) {
    for (PriorKind kind : values()) {
      if (kind.label.equals(text.toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "Invalid prior '" + text + "': use standard-normal, teacher or teacher-variance");
  }
}
