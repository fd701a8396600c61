package org.byov.inference.batching;

import java.util.concurrent.CompletableFuture;
import org.byov.inference.models.ServingModel;
import org.byov.inference.models.ServingNetwork;

/**
 * One request's work for the inference thread.
 *
 * @param model the model version, with a reference held by the caller until the future completes
 * @param images normalised images, each {@code [C * H * W]} in channel-major order
 * @param samples Monte Carlo samples S; ignored for a mean pass
 * @param seed request seed of the noise
 * @param meanPass whether to run one pass with posterior means instead of sampling
 * @param noise per image, the Monte Carlo noise that the inference thread would otherwise draw
 *     (see {@link org.byov.inference.models.ServingNetwork#imageNoise}); null where it is left to
 *     the inference thread
 * @param result embedding samples {@code [image][S][D]} (one sample for a mean pass)
 */
public record InferenceJob(ServingModel model, float[][] images, int samples, long seed,
    boolean meanPass, float[][] noise, CompletableFuture<float[][][]> result) {

  /**
   * Images times samples up to which the calling thread draws the noise itself: the inference
   * thread is the bottleneck under load, and drawing noise is about a sixth of its work per image
   * for the default encoder. Larger requests leave it to the inference thread, which draws it
   * chunk by chunk, so a full queue contains at most about 1 MB of noise per request.
   */
  static final int CALLER_NOISE_ROWS = 1024;

  public static InferenceJob sampled(ServingModel model, float[][] images, int samples, long seed) {
    float[][] noise = null;
    if ((long) images.length * samples <= CALLER_NOISE_ROWS) {
      ServingNetwork network = model.network();
      noise = new float[images.length][];
      for (int i = 0; i < images.length; i++) {
        noise[i] = network.imageNoise(seed, i, samples);
      }
    }
    return new InferenceJob(model, images, samples, seed, false, noise,
        new CompletableFuture<>());
  }

  public static InferenceJob mean(ServingModel model, float[][] images) {
    return new InferenceJob(model, images, 1, 0, true, null, new CompletableFuture<>());
  }

  /** Samples per image in the output: S, or 1 for a mean pass. */
  int outputSamples() {
    return meanPass ? 1 : samples;
  }
}
