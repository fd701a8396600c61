package org.byov.orchestrator.registry;

/** A model name with its latest and production versions. */
public record ModelSummary(String name, int latestVersion, Integer productionVersion, int versions) {}
