package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** Reply of a heartbeat: the extended lease and whether the run was cancelled. */
public record HeartbeatResponse(
    @Schema(description = "New lease expiry.") Instant leaseExpiresAt,
    @Schema(description = "True when the run was cancelled; stop and call :cancelled.")
        boolean cancelRequested,
    @Schema(description = "Seconds until the next heartbeat is due.") int heartbeatSeconds) {}
