package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A registered model version that a model reference of the run spec ({@code name} or {@code
 * name:version}) resolved to: where its model directory lies, and its name and version for
 * provenance.
 */
public record ModelArtifact(
    @Schema(description = "Registered model name.", example = "byol-fmnist") String modelName,
    @Schema(description = "Version the reference resolved to.", example = "3") Integer modelVersion,
    @Schema(description = "URI of the version's model directory.") String artifactUri) {

  /** Returns {@code name:version}. */
  public String label() {
    return modelName + ":" + modelVersion;
  }
}
