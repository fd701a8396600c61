package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.byov.common.run.RunSpec;

/**
 * Reply of a successful claim (HTTP 200). Every later call about this task carries {@link
 * #fencingToken()}; a call with an older token gets 409.
 */
public record ClaimedTask(
    @Schema(description = "Task id.") UUID taskId,
    @Schema(description = "Run the task belongs to.") UUID runId,
    @Schema(description = "Task kind.") TaskKind kind,
    @Schema(description = "The run spec, as posted to the runs API.") RunSpec spec,
    @Schema(description = "Task input besides the run spec (EVAL: the model to evaluate).")
        TaskInput input,
    @Schema(description = "Fencing token of this claim; it increases on every claim.")
        long fencingToken,
    @Schema(description = "Attempt number, starting at 1; a release does not use one up.")
        int attempt,
    @Schema(description = "When the lease expires unless a heartbeat extends it.")
        Instant leaseExpiresAt,
    @Schema(description = "Seconds between heartbeats that keep the lease alive.")
        int heartbeatSeconds) {}
