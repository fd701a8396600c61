package org.byov.common.run;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * AdamW settings with a linear warm-up followed by cosine decay. A null field means the byov-core
 * default.
 */
public record OptimizerSpec(
    @Schema(description = "Peak learning rate per optimiser step, after warm-up.", example = "0.001")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("10")
        Double lr,
    @Schema(description = "Decoupled weight decay per step (0 to 1).", example = "0.0001")
        @DecimalMin("0")
        @DecimalMax("1")
        Double weightDecay,
    @Schema(description = "Epochs of linear learning-rate warm-up.", example = "1")
        @Min(0)
        @Max(10_000)
        Integer warmupEpochs) {

  /** Settings that leave every value to the byov-core defaults. */
  public static OptimizerSpec defaults() {
    return new OptimizerSpec(null, null, null);
  }
}
