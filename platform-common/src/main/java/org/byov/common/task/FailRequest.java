package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /internal/v1/tasks/{id}:fail}. A retryable failure queues the task again as
 * the next attempt while attempts remain; a non-retryable one fails the run at once.
 */
public record FailRequest(
    @Schema(description = "Fencing token of the claim.") @NotNull Long fencingToken,
    @Schema(description = "What went wrong, for the run's error field.") @NotBlank @Size(max = 4000)
        String error,
    @Schema(description = "Whether another attempt may succeed.") boolean retryable) {}
