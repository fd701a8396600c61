package org.byov.inference.predictions;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Predictions for every image of a request, in request order. */
public record PredictionsResponse(
    String model,
    int version,
    int samples,
    long seed,
    @Schema(description = "Max-probability threshold of the model version; null when it has none"
        + " and nothing abstains.") Double abstainThreshold,
    @Schema(description = "Score compared with the threshold.", example = "max-probability")
        String abstainScore,
    List<Prediction> predictions) {

  /**
   * One image's predictive distribution, the mean over S samples of softmax(W e_s + b).
   *
   * @param probabilities mean class probabilities in label order
   * @param predictedIndex label with the highest mean probability
   * @param predictedClass its class name
   * @param maxProbability its mean probability, the abstain score
   * @param predictiveEntropy entropy of the mean probabilities, in nats
   * @param mutualInformation predictive entropy minus the mean entropy of the samples, in nats
   * @param abstain whether maxProbability is below the abstain threshold
   */
  public record Prediction(int index, double[] probabilities, int predictedIndex,
      String predictedClass, double maxProbability, double predictiveEntropy,
      double mutualInformation, boolean abstain) {}
}
