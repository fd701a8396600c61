package org.byov.orchestrator.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.InputContract;

/** A registered model version. */
@Schema(description = "A model version: what the inference API needs to serve it.")
public record ModelVersionView(
    @Schema(description = "Model name.") String name,
    @Schema(description = "Version number, from 1.") int version,
    @Schema(description = "Run that produced it.") UUID runId,
    @Schema(description = "URI of the model directory.") String artifactUri,
    @Schema(description = "Images the model accepts.") InputContract inputContract,
    @Schema(description = "Evaluation id of the latest evaluation in the evaluation service.")
        UUID evaluationId,
    @Schema(description = "Headline metrics of the latest evaluation.") Map<String, Double> metrics,
    @Schema(description = "Max-probability threshold below which predictions abstain.")
        Double abstainThreshold,
    @Schema(description = "When the evaluation shown was recorded: at registration, or when the"
            + " latest on-demand evaluation succeeded.")
        Instant evaluatedAt,
    @Schema(description = "Whether this version is the production version.") boolean production,
    Instant createdAt) {}
