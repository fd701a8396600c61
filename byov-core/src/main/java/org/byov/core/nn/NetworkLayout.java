package org.byov.core.nn;

/**
 * Everything needed to rebuild a network's structure: the backbone, the input shape, the Bayesian
 * scope and, for a classifier head, the number of classes (0 when there is none).
 */
public record NetworkLayout(String backbone, ImageShape input, BayesianScope scope, int classes) {

  public NetworkLayout {
    if (backbone == null || backbone.isBlank()) {
      throw new IllegalArgumentException("backbone must be set, for example cnn");
    }
    if (input == null || scope == null) {
      throw new IllegalArgumentException("input shape and Bayesian scope must be set");
    }
    if (classes < 0) {
      throw new IllegalArgumentException("classes must not be negative, got " + classes);
    }
  }
}
