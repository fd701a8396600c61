package org.byov.inference.predictions;

import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import org.byov.inference.web.InferenceMetrics;
import org.byov.inference.web.InferenceService;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/predictions}: class probabilities, entropy, mutual information, abstain flag. */
@RestController
public class PredictionsController {

  static final String ABSTAIN_SCORE = "max-probability";

  private final InferenceService inference;
  private final InferenceMetrics metrics;

  public PredictionsController(InferenceService inference, InferenceMetrics metrics) {
    this.inference = inference;
    this.metrics = metrics;
  }

  @Operation(summary = "Class predictions with predictive entropy, mutual information and abstain")
  @PostMapping("/v1/predictions")
  public PredictionsResponse predict(@RequestBody PredictionsRequest request) {
    return metrics.time("predictions", () -> run(request));
  }

  private PredictionsResponse run(PredictionsRequest request) {
    return inference.sample(request.model(), request.version(), request.images(),
        request.samples(), request.seed(), sampled -> {
          Predictor.requireHead(sampled.model());
          List<PredictionsResponse.Prediction> predictions = new ArrayList<>();
          for (int i = 0; i < sampled.samples().length; i++) {
            PredictionsResponse.Prediction prediction =
                Predictor.predict(sampled.model(), i, sampled.samples()[i], sampled.seed());
            if (prediction.abstain()) {
              metrics.recordAbstained();
            }
            predictions.add(prediction);
          }
          return new PredictionsResponse(sampled.model().info().name(),
              sampled.model().info().version(), sampled.sampleCount(), sampled.seed(),
              sampled.model().info().abstainThreshold(), ABSTAIN_SCORE, predictions);
        });
  }
}
