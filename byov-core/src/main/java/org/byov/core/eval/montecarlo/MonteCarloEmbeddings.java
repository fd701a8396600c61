package org.byov.core.eval.montecarlo;

/**
 * Tail embeddings of N examples summarised over the S weight samples.
 *
 * @param mean mean over samples of the embedding, {@code [N][D]}
 * @param totalVariance sum over dimensions of the variance over samples (divided by S), {@code [N]}
 */
public record MonteCarloEmbeddings(float[][] mean, double[] totalVariance) {}
