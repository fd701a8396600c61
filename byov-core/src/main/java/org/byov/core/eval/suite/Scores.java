package org.byov.core.eval.suite;

import java.util.List;

/**
 * Names of the uncertainty scores and pruning criteria, as they appear in metric rows, the report
 * and the task result. Every score is oriented so that a higher value means more uncertain.
 */
public final class Scores {

  /** 1 - max_k p_k. */
  public static final String MAX_PROBABILITY = "max-probability";
  /** Predictive entropy H(p) in nats. */
  public static final String ENTROPY = "entropy";
  /** Mutual information between prediction and weights, in nats. */
  public static final String MUTUAL_INFORMATION = "mutual-information";
  /** Total variance of the embedding over weight samples. */
  public static final String EMBEDDING_VARIANCE = "embedding-variance";

  /** Every uncertainty score, in report order. */
  public static final List<String> ALL =
      List.of(MAX_PROBABILITY, ENTROPY, MUTUAL_INFORMATION, EMBEDDING_VARIANCE);

  /** Pruning by |mu| / sigma, lowest first. */
  public static final String SNR = "snr";
  /** Pruning by |mu|, lowest first. */
  public static final String MAGNITUDE = "magnitude";

  private Scores() {}
}
