package org.byov.inference.models;

/**
 * Where a served model came from.
 *
 * @param name model name in the registry, or the configured name of a local model directory
 * @param version registry version, or 0 for a local model directory
 * @param artifactUri URI of the model directory
 * @param abstainThreshold max-probability threshold below which a prediction abstains, chosen by
 *     the evaluation on its validation split; null when the version has none
 */
public record ModelVersionInfo(String name, int version, String artifactUri,
    Double abstainThreshold) {}
