package org.byov.inference.predictions;

import org.byov.core.metrics.PredictiveUncertainty;
import org.byov.inference.models.ServingModel;
import org.byov.inference.web.InferenceProblem;

/**
 * Applies a model's prediction head to each embedding sample and summarises the predictive
 * distribution.
 */
public final class Predictor {

  private Predictor() {}

  /**
   * Returns the prediction for one image from its embedding samples {@code [S][D]}.
   *
   * @param index the image's index within its request
   * @param seed the request's seed, which a Bayesian classifier head draws its noise from
   */
  public static PredictionsResponse.Prediction predict(ServingModel model, int index,
      float[][] samples, long seed) {
    double[][] perSample = model.head().probabilities(samples, seed, index);
    double[][][] probabilities = new double[samples.length][1][];
    for (int s = 0; s < samples.length; s++) {
      probabilities[s][0] = perSample[s];
    }
    PredictiveUncertainty.Decomposition decomposition =
        PredictiveUncertainty.decompose(probabilities);
    double[] mean = decomposition.meanProbabilities()[0];
    int best = 0;
    for (int k = 1; k < mean.length; k++) {
      if (mean[k] > mean[best]) {
        best = k;
      }
    }
    Double threshold = model.info().abstainThreshold();
    boolean abstain = threshold != null && mean[best] < threshold;
    return new PredictionsResponse.Prediction(index, mean, best, model.className(best), mean[best],
        decomposition.predictiveEntropy()[0], decomposition.mutualInformation()[0], abstain);
  }

  /** Rejects a request for predictions from a model without a prediction head. */
  public static void requireHead(ServingModel model) {
    if (model.head() == null) {
      throw InferenceProblem.invalidField("model", "Model '" + model.info().name() + "' version "
          + model.info().version() + " has no classifier and no linear probe file, so it serves"
          + " embeddings only; use /v1/embeddings");
    }
  }
}
