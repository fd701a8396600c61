package org.byov.orchestrator.runs;

import java.time.Instant;
import java.util.Map;

/** Metrics of one epoch of a run. */
public record EpochMetrics(int epoch, Map<String, Double> values, Instant recordedAt) {}
