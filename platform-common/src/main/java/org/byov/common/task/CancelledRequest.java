package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /internal/v1/tasks/{id}:cancelled}: the worker stopped after a cancel. */
public record CancelledRequest(
    @Schema(description = "Fencing token of the claim.") @NotNull Long fencingToken) {}
