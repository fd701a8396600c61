package org.byov.orchestrator.registry;

import java.time.Instant;

/** One row of a model's promotion audit trail. */
public record PromotionView(
    String action, int version, Integer previousVersion, String actor, String reason, Instant at) {}
