package org.byov.common.run;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a run trains, evaluates and registers. It is the body of {@code POST /api/v1/runs} and the
 * {@code spec} of every task of the run. Null hyperparameters (priorSigma, klWeight,
 * klWarmupEpochs and the optimizer fields) mean the byov-core default; the structural fields get
 * the defaults named in their descriptions.
 */
@Schema(description = "Run spec: what to train, how to evaluate it and where to register it.")
public record RunSpec(
    @Schema(description = "Model name the run registers under (lowercase, digits, dashes).",
            example = "byov-fmnist")
        @NotBlank
        @Pattern(regexp = MODEL_NAME, message = "must match " + MODEL_NAME)
        String modelName,
    @Schema(description = "Training dataset.", example = "fashion-mnist")
        @NotBlank
        @Pattern(regexp = DATASET, message = "must be a dataset name such as fashion-mnist")
        String dataset,
    @Schema(description = "Training method.", example = "byov") @NotNull Method method,
    @Schema(description = "Encoder backbone.", defaultValue = "cnn") Backbone backbone,
    @Schema(description = "Bayesian scope; defaults to none for byol, else last-k.")
        BayesianScope bayesianScope,
    @Schema(description = "Number of Bayesian layers for last-k.", defaultValue = "1")
        @Min(1)
        @Max(64)
        Integer k,
    @Schema(description = "Prior of the Bayesian weights.", defaultValue = "standard-normal")
        Prior prior,
    @Schema(description = "Prior standard deviation s (standard-normal and teacher priors).")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("100")
        Double priorSigma,
    @Schema(description = "KL weight beta, applied per training example (beta * KL / N).")
        @DecimalMin("0")
        @DecimalMax("1000")
        Double klWeight,
    @Schema(description = "Epochs over which beta rises linearly from 0.") @Min(0) @Max(10_000)
        Integer klWarmupEpochs,
    @Schema(description = "Optimiser and learning-rate schedule.") @Valid OptimizerSpec optimizer,
    @Schema(description = "Training epochs.", example = "20") @NotNull @Min(1) @Max(10_000)
        Integer epochs,
    @Schema(description = "Images per optimiser step.", defaultValue = "256") @Min(1) @Max(65_536)
        Integer batchSize,
    @Schema(description = "Random seed of initialisation, augmentation and sampling.",
            defaultValue = "0")
        @Min(0)
        Long seed,
    @Schema(description = "Train on the first n training images only (optional).") @Min(1)
        Integer trainSubset,
    @Schema(description = "Evaluation options.") @Valid EvaluationSpec evaluation,
    @Schema(description = "Promote the model to production when the registry gates pass.",
            defaultValue = "false")
        Boolean promote) {

  /** Model names: lowercase letters, digits and dashes, starting with a letter or digit. */
  public static final String MODEL_NAME = "[a-z0-9][a-z0-9-]{0,62}";

  /** Dataset names: lowercase letters, digits, dots, dashes and underscores. */
  public static final String DATASET = "[a-z0-9][a-z0-9._-]{0,62}";

  /** A model reference: {@code name} or {@code name:version}. */
  public static final String MODEL_REFERENCE = "[a-z0-9][a-z0-9-]{0,62}(:[1-9][0-9]{0,8})?";

  /** A UUID in its canonical text form. */
  public static final String UUID_PATTERN =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  public RunSpec {
    backbone = backbone == null ? Backbone.CNN : backbone;
    if (bayesianScope == null) {
      bayesianScope = method == Method.BYOL ? BayesianScope.NONE : BayesianScope.LAST_K;
    }
    k = k == null ? 1 : k;
    prior = prior == null ? Prior.STANDARD_NORMAL : prior;
    optimizer = optimizer == null ? OptimizerSpec.defaults() : optimizer;
    batchSize = batchSize == null ? 256 : batchSize;
    seed = seed == null ? 0L : seed;
    evaluation = evaluation == null ? EvaluationSpec.defaults() : evaluation;
    promote = promote == null ? Boolean.FALSE : promote;
  }
}
