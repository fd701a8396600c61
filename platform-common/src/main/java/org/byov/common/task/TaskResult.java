package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;

/**
 * What a finished task produced. A TRAIN task sets {@code artifactUri} (the final model directory)
 * and {@code inputContract}. An EVAL task sets {@code evaluationId}, {@code headlineMetrics} (at
 * least {@code probeAccuracy} and {@code ece}) and {@code abstainThreshold}, and may set {@code
 * reportUri}.
 */
public record TaskResult(
    @Schema(description = "URI of the final model directory (TRAIN).",
            example = "file:///var/lib/byov/artifacts/runs/0b6c.../model/")
        String artifactUri,
    @Schema(description = "Input contract of the trained model (TRAIN).") @Valid
        InputContract inputContract,
    @Schema(description = "Id of the evaluation row in the evaluation schema (EVAL).")
        UUID evaluationId,
    @Schema(description = "Headline metrics (EVAL): probeAccuracy, ece, brier, nll, oodAuroc.")
        Map<String, Double> headlineMetrics,
    @Schema(description = "Abstain threshold on max probability for the target coverage (EVAL).")
        Double abstainThreshold,
    @Schema(description = "URI of the rendered evaluation report (EVAL, optional).")
        String reportUri) {

  public TaskResult {
    headlineMetrics = headlineMetrics == null ? Map.of() : Map.copyOf(headlineMetrics);
  }

  /** The result of a TRAIN task. */
  public static TaskResult trained(String artifactUri, InputContract inputContract) {
    return new TaskResult(artifactUri, inputContract, null, null, null, null);
  }

  /** The result of an EVAL task. */
  public static TaskResult evaluated(
      UUID evaluationId,
      Map<String, Double> headlineMetrics,
      double abstainThreshold,
      String reportUri) {
    return new TaskResult(null, null, evaluationId, headlineMetrics, abstainThreshold, reportUri);
  }
}
