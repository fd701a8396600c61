package org.byov.orchestrator.tasks;

import java.time.Instant;
import java.util.UUID;
import org.byov.common.task.TaskKind;

/**
 * One row of the tasks table; {@code inputJson}, {@code progressJson} (the latest heartbeat's
 * progress) and {@code resultJson} are JSON text.
 */
public record TaskRow(
    UUID id,
    UUID runId,
    String stage,
    TaskKind kind,
    TaskStatus status,
    long fencingToken,
    int attempt,
    int maxAttempts,
    String workerId,
    Instant leaseExpiresAt,
    boolean cancelRequested,
    String inputJson,
    String progressJson,
    String resultJson,
    String lastError,
    Instant createdAt) {}
