package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a task needs besides the run spec. A TRAIN task has no input (all fields null). An EVAL task
 * names the trained model: its artifact URI and input contract, and for an on-demand evaluation of
 * a registered version also the model name and version.
 */
public record TaskInput(
    @Schema(description = "URI of the trained model directory (EVAL only).") String artifactUri,
    @Schema(description = "Input contract of the trained model (EVAL only).")
        InputContract inputContract,
    @Schema(description = "Registered model name, for an on-demand evaluation.") String modelName,
    @Schema(description = "Registered model version, for an on-demand evaluation.")
        Integer modelVersion) {

  /** The input of a TRAIN task. */
  public static TaskInput none() {
    return new TaskInput(null, null, null, null);
  }
}
