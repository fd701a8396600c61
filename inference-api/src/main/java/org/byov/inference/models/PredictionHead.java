package org.byov.inference.models;

/**
 * The head that turns an image's embedding samples into class probabilities: a linear probe
 * fitted on the embeddings ({@link ProbeHead}), or the classifier that a {@code supervised-bbb}
 * model trained with its encoder ({@link ClassifierHead}).
 */
public sealed interface PredictionHead permits ProbeHead, ClassifierHead {

  /** Returns the number of classes K. */
  int classes();

  /** Returns the embedding dimension D that the head expects. */
  int embeddingDim();

  /** Returns {@code linear-probe} or {@code classifier}, for logs and model metadata. */
  String kind();

  /**
   * Returns the softmax probabilities {@code [S][K]} of one image, one row per embedding sample.
   *
   * @param samples the image's embedding samples {@code [S][D]}
   * @param seed the request's seed, from which a Bayesian head draws its weight noise
   * @param imageIndex the image's index within its request
   */
  double[][] probabilities(float[][] samples, long seed, int imageIndex);

  /** Returns the softmax of {@code logits} in place, shifted by the maximum for stability. */
  static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double total = 0;
    for (int k = 0; k < logits.length; k++) {
      logits[k] = Math.exp(logits[k] - max);
      total += logits[k];
    }
    for (int k = 0; k < logits.length; k++) {
      logits[k] /= total;
    }
    return logits;
  }
}
