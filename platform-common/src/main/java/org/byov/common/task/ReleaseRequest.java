package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /internal/v1/tasks/{id}:release}: the worker is shutting down, so the task is
 * queued again at once without using up an attempt.
 */
public record ReleaseRequest(
    @Schema(description = "Fencing token of the claim.") @NotNull Long fencingToken,
    @Schema(description = "Why the worker released the task.") @Size(max = 500) String reason) {}
