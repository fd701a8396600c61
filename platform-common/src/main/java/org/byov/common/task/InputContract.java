package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The images a model accepts: shape {@code [channels, height, width]}, per-channel normalisation
 * {@code (x / 255 - mean) / std}, and the class names of the probe head in label order.
 */
public record InputContract(
    @Schema(description = "Number of image channels.", example = "1") @NotNull @Min(1)
        Integer channels,
    @Schema(description = "Image height in pixels.", example = "28") @NotNull @Min(1) Integer height,
    @Schema(description = "Image width in pixels.", example = "28") @NotNull @Min(1) Integer width,
    @Schema(description = "Per-channel mean subtracted after scaling pixels to 0..1.")
        List<Double> mean,
    @Schema(description = "Per-channel standard deviation divided by after the mean.")
        List<Double> std,
    @Schema(description = "Class names in label order.") List<String> classNames) {}
