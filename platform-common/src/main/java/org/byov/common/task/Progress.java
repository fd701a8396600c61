package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Progress a worker reports with a heartbeat; every field is optional. */
public record Progress(
    @Schema(description = "Epoch in progress, counting from 1.") @PositiveOrZero Integer epoch,
    @Schema(description = "Total epochs of the task.") @PositiveOrZero Integer totalEpochs,
    @Schema(description = "Optimiser steps done so far.") @PositiveOrZero Long step,
    @Schema(description = "Short human-readable status.") @Size(max = 500) String message,
    @Schema(
            description =
                "Training throughput in images per second: batch size divided by the mean wall"
                    + " time of the latest steps.")
        @PositiveOrZero
        Double imagesPerSecond) {

  /** Creates progress without a throughput, for tasks that do not train. */
  public Progress(Integer epoch, Integer totalEpochs, Long step, String message) {
    this(epoch, totalEpochs, step, message, null);
  }
}
