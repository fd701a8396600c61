package org.byov.inference.embeddings;

import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import org.byov.core.metrics.EmbeddingVariance;
import org.byov.inference.web.InferenceMetrics;
import org.byov.inference.web.InferenceProblem;
import org.byov.inference.web.InferenceService;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/embeddings}: mean embedding and Monte Carlo variance per image. */
@RestController
public class EmbeddingsController {

  private final InferenceService inference;
  private final InferenceMetrics metrics;

  public EmbeddingsController(InferenceService inference, InferenceMetrics metrics) {
    this.inference = inference;
    this.metrics = metrics;
  }

  @Operation(summary = "Embeddings with per-dimension and total Monte Carlo variance")
  @PostMapping("/v1/embeddings")
  public EmbeddingsResponse embed(@RequestBody EmbeddingsRequest request) {
    return metrics.time("embeddings", () -> run(request));
  }

  private EmbeddingsResponse run(EmbeddingsRequest request) {
    boolean returnSamples = Boolean.TRUE.equals(request.returnSamples());
    return inference.sample(request.model(), request.version(), request.images(),
        request.samples(), request.seed(), sampled -> {
          if (returnSamples) {
            checkReturnedValues(sampled);
          }
          List<EmbeddingsResponse.Embedding> data = new ArrayList<>();
          for (int i = 0; i < sampled.samples().length; i++) {
            data.add(summarise(i, sampled.samples()[i], returnSamples));
          }
          return new EmbeddingsResponse(sampled.model().info().name(),
              sampled.model().info().version(), sampled.sampleCount(), sampled.seed(), data);
        });
  }

  private EmbeddingsResponse.Embedding summarise(int index, float[][] samples,
      boolean returnSamples) {
    EmbeddingVariance variance = EmbeddingVariance.of(samples);
    metrics.recordVariance(variance.total());
    return new EmbeddingsResponse.Embedding(index, EmbeddingStatistics.mean(samples), variance.perDimension(),
        variance.total(), samples.length, returnSamples ? samples : null);
  }

  private void checkReturnedValues(
      org.byov.inference.web.InferenceService.Sampled sampled) {
    long values = (long) sampled.samples().length * sampled.sampleCount()
        * sampled.model().network().embeddingDim();
    long limit = inference.limits().maxReturnedValues();
    if (values > limit) {
      throw InferenceProblem.tooLarge("returnSamples", "Returning every sample would send "
          + values + " values (images x samples x dimensions), over the limit of " + limit
          + "; ask for fewer images or samples, or leave returnSamples off");
    }
  }
}
