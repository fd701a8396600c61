package org.byov.inference.images;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One input image: either {@code data}, a base64 PNG or JPEG (a {@code data:image/...;base64,}
 * prefix is allowed), or {@code pixels}, raw values in 0..1 in channel-major order {@code [C, H,
 * W]} with their {@code shape} (the model's input shape when omitted).
 */
@Schema(description = "An image: base64 PNG/JPEG in data, or raw pixels in 0..1 (channel-major"
    + " [C, H, W]) with an optional shape.")
public record ImageInput(
    @Schema(description = "Base64 PNG or JPEG.") String data,
    @Schema(description = "Raw pixel values in 0..1, channel-major [C, H, W].") double[] pixels,
    @Schema(description = "Shape [C, H, W] of pixels; defaults to the model's input shape.")
        int[] shape) {}
