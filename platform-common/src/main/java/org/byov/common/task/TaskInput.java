package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a task needs besides the run spec. A TRAIN task has no input (all fields null). An EVAL task
 * names the trained model: its artifact URI and input contract, and for an on-demand evaluation of
 * a registered version also the model name and version. When the run spec names a baseline or an
 * alignment model by registry reference, the orchestrator resolves it into {@link
 * #baselineModel()} or {@link #alignWithModel()}; both are null otherwise, and a run id in the
 * spec ({@code baselineRun}, or a run id in {@code alignWith}) is left to the worker.
 */
public record TaskInput(
    @Schema(description = "URI of the trained model directory (EVAL only).") String artifactUri,
    @Schema(description = "Input contract of the trained model (EVAL only).")
        InputContract inputContract,
    @Schema(description = "Registered model name, for an on-demand evaluation.") String modelName,
    @Schema(description = "Registered model version, for an on-demand evaluation.")
        Integer modelVersion,
    @Schema(description = "Baseline resolved from evaluation.baselineModel (EVAL only).")
        ModelArtifact baselineModel,
    @Schema(description = "Alignment model resolved from a model reference in evaluation.alignWith"
            + " (EVAL only).")
        ModelArtifact alignWithModel) {

  /** An input without resolved baseline or alignment models. */
  public TaskInput(String artifactUri, InputContract inputContract, String modelName,
      Integer modelVersion) {
    this(artifactUri, inputContract, modelName, modelVersion, null, null);
  }

  /** The input of a TRAIN task. */
  public static TaskInput none() {
    return new TaskInput(null, null, null, null, null, null);
  }

  /** Returns a copy with the resolved baseline and alignment models (each may be null). */
  public TaskInput withModels(ModelArtifact baseline, ModelArtifact alignWith) {
    return new TaskInput(artifactUri, inputContract, modelName, modelVersion, baseline, alignWith);
  }
}
