package org.byov.inference.web;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.byov.inference.batching.InferenceEngine;
import org.byov.inference.batching.InferenceJob;
import org.byov.inference.images.ImageInput;
import org.byov.inference.images.ImageLimits;
import org.byov.inference.images.ImagePreparer;
import org.byov.inference.models.ModelCatalog;
import org.byov.inference.models.ServingModel;
import org.springframework.stereotype.Service;

/**
 * The steps every inference route shares: check the sample count, take a reference on the model,
 * prepare the images, queue them for the inference thread and wait for the embedding samples.
 */
@Service
public class InferenceService {

  private final ModelCatalog catalog;
  private final ImagePreparer preparer;
  private final InferenceEngine engine;

  public InferenceService(ModelCatalog catalog, ImagePreparer preparer, InferenceEngine engine) {
    this.catalog = catalog;
    this.preparer = preparer;
    this.engine = engine;
  }

  /**
   * Embedding samples of a request and what produced them.
   *
   * @param samples embedding samples {@code [image][S][D]}
   */
  public record Sampled(ServingModel model, int sampleCount, long seed, float[][][] samples) {}

  /**
   * Runs S Monte Carlo samples for each image. The model reference stays held until the caller
   * has used the result, so callers pass a function of it.
   */
  public <T> T sample(String modelName, Integer version, List<ImageInput> images, Integer samples,
      Long seed, Function<Sampled, T> use) {
    return sample(modelName, version, images, samples, seed, RequestFields.V1, model -> { }, use);
  }

  /**
   * Runs S Monte Carlo samples for each image, as above. Problems name the request field through
   * {@code fields}. {@code checkRequest} may reject the request for the acquired model by throwing
   * an {@link InferenceProblem}, and runs before the images are prepared and inference starts.
   */
  public <T> T sample(String modelName, Integer version, List<ImageInput> images, Integer samples,
      Long seed, RequestFields fields, Consumer<ServingModel> checkRequest,
      Function<Sampled, T> use) {
    int sampleCount = checkSamples(samples, fields);
    long usedSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    ServingModel model = catalog.acquire(checkModelName(modelName), version);
    try {
      checkRequest.accept(model);
      float[][] prepared = preparer.prepare(images, model.contract(), fields);
      InferenceJob job = InferenceJob.sampled(model, prepared, sampleCount, usedSeed);
      float[][][] output = await(job);
      return use.apply(new Sampled(model, sampleCount, usedSeed, output));
    } finally {
      model.release();
    }
  }

  /** Runs one pass with posterior means for each image and returns embeddings {@code [image][D]}. */
  public float[][] meanPass(String modelName, List<ImageInput> images) {
    ServingModel model = catalog.acquire(checkModelName(modelName), null);
    try {
      InferenceJob job = InferenceJob.mean(model, preparer.prepare(images, model.contract()));
      float[][][] output = await(job);
      float[][] embeddings = new float[output.length][];
      for (int i = 0; i < output.length; i++) {
        embeddings[i] = output[i][0];
      }
      return embeddings;
    } finally {
      model.release();
    }
  }

  /**
   * Queues the job and waits for it. The caller's model reference covers the job, because the
   * caller releases it only after this returns and the job has finished by then.
   */
  private float[][][] await(InferenceJob job) {
    engine.submit(job);
    try {
      return job.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private int checkSamples(Integer samples, RequestFields fields) {
    ImageLimits limits = preparer.limits();
    int count = samples == null ? limits.defaultSamples() : samples;
    if (count < 1 || count > limits.maxSamples()) {
      throw InferenceProblem.invalidField(fields.samples(), "Invalid sample count " + count
          + "; send 1 to " + limits.maxSamples() + " (default " + limits.defaultSamples() + ")");
    }
    return count;
  }

  private static String checkModelName(String name) {
    if (name == null || name.isBlank()) {
      throw InferenceProblem.invalidField("model", "The model name is required");
    }
    return name;
  }

  public ImageLimits limits() {
    return preparer.limits();
  }
}
