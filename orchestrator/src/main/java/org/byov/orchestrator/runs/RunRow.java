package org.byov.orchestrator.runs;

import java.time.Instant;
import java.util.UUID;

/** One row of the runs table; JSON columns are kept as text. */
public record RunRow(
    UUID id,
    String caller,
    String modelName,
    String method,
    RunStatus status,
    String specJson,
    boolean cancelRequested,
    Integer currentEpoch,
    String latestMetricsJson,
    String artifactUri,
    UUID evaluationId,
    Integer modelVersion,
    String error,
    String waitingStage,
    Instant checkpointsDeletedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt) {}
