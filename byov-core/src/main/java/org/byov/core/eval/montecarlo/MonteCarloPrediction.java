package org.byov.core.eval.montecarlo;

/**
 * The Monte Carlo predictive distribution of N examples and its uncertainty scores, all in double
 * precision. Every per-example array has length N.
 *
 * @param meanProbabilities p = mean over the S samples of softmax(logits), {@code [N][K]}
 * @param predictiveEntropy H(p) in nats
 * @param expectedEntropy mean over samples of H(p_s) in nats
 * @param mutualInformation predictive minus expected entropy, at least 0
 * @param predictiveStd standard deviation over the S samples of the probability of the predicted
 *     class argmax_k p_k (population form, divided by S); 0 for a deterministic model
 * @param embeddingTotalVariance sum over embedding dimensions of the variance over the S samples
 *     (divided by S); 0 for a deterministic model
 * @param meanEmbeddings mean over samples of the embedding, {@code [N][D]}
 * @param sampleProbabilities softmax(logits) of every sample {@code [S][N][K]}, or null unless
 *     requested
 */
public record MonteCarloPrediction(
    double[][] meanProbabilities,
    double[] predictiveEntropy,
    double[] expectedEntropy,
    double[] mutualInformation,
    double[] predictiveStd,
    double[] embeddingTotalVariance,
    float[][] meanEmbeddings,
    double[][][] sampleProbabilities) {

  /** Returns the number of examples N. */
  public int count() {
    return meanProbabilities.length;
  }
}
