package org.byov.inference.predictions;

import org.byov.core.metrics.PredictiveUncertainty;
import org.byov.inference.models.ServingModel;
import org.byov.inference.web.InferenceProblem;

/** Applies a model's probe head to each embedding sample and summarises the predictive distribution. */
public final class Predictor {

  private Predictor() {}

  /** Returns the prediction for one image from its embedding samples {@code [S][D]}. */
  public static PredictionsResponse.Prediction predict(ServingModel model, int index,
      float[][] samples) {
    double[][][] probabilities = new double[samples.length][1][];
    for (int s = 0; s < samples.length; s++) {
      probabilities[s][0] = model.probe().probabilities(samples[s]);
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

  /** Rejects a request for predictions from a model without a probe head. */
  public static void requireProbe(ServingModel model) {
    if (model.probe() == null) {
      throw InferenceProblem.invalidField("model", "Model '" + model.info().name() + "' version "
          + model.info().version() + " has no probe head, so it serves embeddings only; use"
          + " /v1/embeddings");
    }
  }
}
