package org.byov.inference.batching;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Micro-batching of concurrent requests on the single inference thread.
 *
 * @param enabled whether queued requests are merged; when false each request runs alone
 * @param maxBatchImages images per micro-batch above which no further request is merged
 * @param maxDelay longest time the first request of a micro-batch waits for others to join
 * @param arrivalGap the micro-batch also closes when no request has joined for this long, so
 *     that a burst of requests runs as soon as it has arrived instead of idling until {@code
 *     maxDelay}
 * @param queueCapacity requests that may wait; one more gets 503 with Retry-After
 * @param maxTailRows images times samples per call of the Bayesian tail, which bounds the memory
 *     of one call ({@code rows * 256} floats per activation for the default encoder)
 * @param device {@code cpu} or {@code gpu}
 */
@Validated
@ConfigurationProperties("byov.inference.batching")
public record BatchingProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("64") @Min(1) int maxBatchImages,
    @DefaultValue("2ms") Duration maxDelay,
    @DefaultValue("200us") Duration arrivalGap,
    @DefaultValue("64") @Min(1) int queueCapacity,
    @DefaultValue("16384") @Min(1) int maxTailRows,
    @DefaultValue("cpu") String device) {}
