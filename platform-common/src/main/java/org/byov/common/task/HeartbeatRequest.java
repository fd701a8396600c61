package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /internal/v1/tasks/{id}:heartbeat}. */
public record HeartbeatRequest(
    @Schema(description = "Fencing token of the claim.") @NotNull Long fencingToken,
    @Schema(description = "Optional progress.") @Valid Progress progress) {}
