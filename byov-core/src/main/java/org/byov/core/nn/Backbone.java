package org.byov.core.nn;

import java.util.List;

/**
 * An encoder architecture, described as an ordered list of {@link Stage}s that the
 * {@link BayesianScope} splits into a deterministic trunk and a Bayesian tail. The last stage must
 * be the fully connected embedding layer, so that {@code last-k} with k = 1 makes exactly that
 * layer Bayesian. To add a backbone, implement this interface and register it in {@link Backbones}.
 */
public interface Backbone {

  /** The name used in training specs, for example {@code cnn}. */
  String name();

  /** The dimension D of the embedding that the last stage outputs. */
  int embeddingDim();

  /** Returns the stages for inputs of {@code input}'s shape, trunk first, embedding stage last. */
  List<Stage> stages(ImageShape input);
}
