package org.byov.inference.batching;

import java.util.concurrent.CompletableFuture;
import org.byov.inference.models.ServingModel;

/**
 * One request's work for the inference thread.
 *
 * @param model the model version, with a reference held by the caller until the future completes
 * @param images normalised images, each {@code [C * H * W]} in channel-major order
 * @param samples Monte Carlo samples S; ignored for a mean pass
 * @param seed request seed of the noise
 * @param meanPass whether to run one pass with posterior means instead of sampling
 * @param result embedding samples {@code [image][S][D]} (one sample for a mean pass)
 */
public record InferenceJob(ServingModel model, float[][] images, int samples, long seed,
    boolean meanPass, CompletableFuture<float[][][]> result) {

  public static InferenceJob sampled(ServingModel model, float[][] images, int samples, long seed) {
    return new InferenceJob(model, images, samples, seed, false, new CompletableFuture<>());
  }

  public static InferenceJob mean(ServingModel model, float[][] images) {
    return new InferenceJob(model, images, 1, 0, true, new CompletableFuture<>());
  }

  /** Samples per image in the output: S, or 1 for a mean pass. */
  int outputSamples() {
    return meanPass ? 1 : samples;
  }
}
