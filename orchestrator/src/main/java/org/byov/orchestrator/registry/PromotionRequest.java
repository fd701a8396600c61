package org.byov.orchestrator.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** Optional body of promote and rollback: why, for the audit trail. */
public record PromotionRequest(
    @Schema(description = "Why the change is made, for the audit trail.") @Size(max = 500)
        String reason) {}
