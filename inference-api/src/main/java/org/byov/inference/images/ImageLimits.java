package org.byov.inference.images;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what one request may ask for.
 *
 * @param maxBodyBytes request body size in bytes; a larger body gets 413
 * @param maxPixelsPerImage width times height of an encoded image, checked from its header
 *     before its pixels are decoded; a larger image gets 413
 * @param maxImagesPerRequest images in one request
 * @param maxSamples Monte Carlo samples per request (at most 256)
 * @param defaultSamples samples when a request names none
 * @param maxReturnedValues images times samples times embedding dimensions that one reply with
 *     {@code returnSamples} may carry
 */
@Validated
@ConfigurationProperties("byov.inference.limits")
public record ImageLimits(
    @DefaultValue("8388608") @Min(1024) long maxBodyBytes,
    @DefaultValue("4194304") @Min(1) long maxPixelsPerImage,
    @DefaultValue("256") @Min(1) int maxImagesPerRequest,
    @DefaultValue("256") @Min(1) @Max(256) int maxSamples,
    @DefaultValue("32") @Min(1) @Max(256) int defaultSamples,
    @DefaultValue("1048576") @Min(1) long maxReturnedValues) {}
