package org.byov.inference.predictions;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.byov.inference.images.ImageInput;

/** A request for class predictions with their uncertainty. */
public record PredictionsRequest(
    @Schema(description = "Model name.", example = "fashion-byov") String model,
    @Schema(description = "Model version; the served (production) version when omitted.")
        Integer version,
    @Schema(description = "Images, 1 to 256.") List<ImageInput> images,
    @Schema(description = "Monte Carlo samples S, 1 to 256.", defaultValue = "32") Integer samples,
    @Schema(description = "Seed of the sampling noise; a random seed, returned in the reply, when"
        + " omitted.") Long seed) {}
