package org.byov.common.run;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;

/**
 * Evaluation options of a run. A model reference is {@code name} (its production version) or
 * {@code name:version}.
 */
public record EvaluationSpec(
    @Schema(description = "Monte Carlo weight samples per input.", example = "32", defaultValue = "32")
        @Min(1)
        @Max(1024)
        Integer samples,
    @Schema(description = "Run to compare with; excludes baselineModel.") UUID baselineRun,
    @Schema(description = "Model to compare with, name or name:version; excludes baselineRun.",
            example = "byol-fmnist:3")
        @Pattern(regexp = RunSpec.MODEL_REFERENCE, message = "must be name or name:version")
        String baselineModel,
    @Schema(description = "Supervised-BBB run id or model reference to align uncertainties with.")
        @Pattern(
            regexp = RunSpec.MODEL_REFERENCE + "|" + RunSpec.UUID_PATTERN,
            message = "must be a run id, name or name:version")
        String alignWith,
    @Schema(description = "Out-of-distribution dataset.", example = "mnist")
        @Pattern(regexp = RunSpec.DATASET, message = "must be a dataset name such as mnist")
        String oodDataset,
    @Schema(description = "Whether to evaluate under corruptions.", defaultValue = "true")
        Boolean corruptions,
    @Schema(description = "Coverage the abstain threshold is chosen for (0 to 1].",
            example = "0.95", defaultValue = "0.95")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("1")
        Double targetCoverage) {

  public EvaluationSpec {
    samples = samples == null ? 32 : samples;
    corruptions = corruptions == null ? Boolean.TRUE : corruptions;
    targetCoverage = targetCoverage == null ? 0.95 : targetCoverage;
  }

  /** The default evaluation options. */
  public static EvaluationSpec defaults() {
    return new EvaluationSpec(null, null, null, null, null, null, null);
  }
}
