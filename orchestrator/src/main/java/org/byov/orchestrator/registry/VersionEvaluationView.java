package org.byov.orchestrator.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One evaluation in a model version's history. */
@Schema(description = "An evaluation applied to a model version.")
public record VersionEvaluationView(
    @Schema(description = "REGISTRATION (the run's own evaluation) or ON_DEMAND (:evaluate).")
        String source,
    @Schema(description = "Evaluation id in the evaluation service.") UUID evaluationId,
    @Schema(description = "The on-demand EVAL task; null for REGISTRATION.") UUID taskId,
    @Schema(description = "Headline metrics of the evaluation.") Map<String, Double> metrics,
    @Schema(description = "Max-probability threshold below which predictions abstain.")
        Double abstainThreshold,
    @Schema(description = "URI of the rendered report, when the evaluation gave one.")
        String reportUri,
    @Schema(description = "When the registry recorded the evaluation.") Instant evaluatedAt,
    @Schema(description = "Whether the version shows this evaluation (the newest one).")
        boolean current) {}
