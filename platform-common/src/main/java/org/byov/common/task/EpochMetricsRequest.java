package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Map;

/**
 * Body of {@code POST /internal/v1/tasks/{id}/metrics}: the values of one finished epoch. Posting
 * the same epoch again replaces its values, so a retried call is harmless.
 */
public record EpochMetricsRequest(
    @Schema(description = "Fencing token of the claim.") @NotNull Long fencingToken,
    @Schema(description = "Epoch the values belong to, counting from 1.") @NotNull @PositiveOrZero
        Integer epoch,
    @Schema(description = "Metric name to value, for example loss, byolLoss, kl, lr.") @NotEmpty
        Map<String, Double> values) {}
