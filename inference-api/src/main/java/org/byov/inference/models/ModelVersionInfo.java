package org.byov.inference.models;

import java.util.UUID;

/**
 * Where a served model came from.
 *
 * @param name model name in the registry, or the configured name of a local model directory
 * @param version registry version, or 0 for a local model directory
 * @param artifactUri URI of the model directory
 * @param abstainThreshold max-probability threshold below which a prediction abstains, chosen by
 *     the evaluation on its validation split; null when the version has none
 * @param evaluationId the registry's evaluation of the version, which chose the threshold and
 *     fitted the linear probe. It is null for a local model directory or a version without one
 */
public record ModelVersionInfo(String name, int version, String artifactUri,
    Double abstainThreshold, UUID evaluationId) {

  /** Describes a model that no registry evaluation describes, such as a local directory. */
  public ModelVersionInfo(String name, int version, String artifactUri, Double abstainThreshold) {
    this(name, version, artifactUri, abstainThreshold, null);
  }
}
