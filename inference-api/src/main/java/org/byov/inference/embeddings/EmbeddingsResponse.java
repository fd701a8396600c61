package org.byov.inference.embeddings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Embeddings of every image of a request, in request order. */
public record EmbeddingsResponse(
    String model,
    int version,
    @Schema(description = "Monte Carlo samples S per image.") int samples,
    @Schema(description = "Seed of the sampling noise; send it again to reproduce the reply.")
        long seed,
    List<Embedding> data) {

  /**
   * One image's embedding distribution.
   *
   * @param mean mean embedding over the S samples, {@code [D]}
   * @param variance variance of each dimension over the samples (divided by S), {@code [D]}
   * @param totalVariance sum of {@code variance}
   * @param sampleCount S
   * @param samples every sample {@code [S][D]}, only when the request asked
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Embedding(int index, float[] mean, double[] variance, double totalVariance,
      int sampleCount, float[][] samples) {}
}
