package org.byov.core.eval.montecarlo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import org.byov.core.metrics.PredictiveUncertainty;
import org.byov.core.nn.Encoder;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.ImageShape;

/**
 * Monte Carlo prediction with S weight samples. The deterministic trunk runs once per image and
 * its features can be kept ({@link #trunk}) and reused, for example across pruning levels or
 * heads; only the Bayesian tail runs S times, all samples in one batched call. The same S weight
 * samples (drawn from the seed) are used for every batch, so every image is scored by the same S models.
 *
 * <p>Results are streamed per batch into per-example aggregates, so memory grows with N * (K + D)
 * and not with S, unless per-sample probabilities are requested.
 *
 * <p>Each batch runs in an {@link NDScope} as well as a sub-manager. Sampled Bayesian weights are
 * created on the parameters' long-lived manager (mu + sigma * epsilon inherits mu's manager), so
 * without the scope each batch would leave about 2 * S * weights floats there; a full evaluation
 * ran out of memory that way.
 *
 * <p>Not thread-safe: DJL arrays and the layers' parameters are shared.
 */
public final class MonteCarloPredictor {

  /** Upper bound on S * N * K for {@code keepSamples}, about 400 MB of doubles. */
  public static final long MAX_KEPT_SAMPLE_VALUES = 50_000_000L;

  /**
   * Prediction settings.
   *
   * @param samples weight samples S, 1 to 1024
   * @param seed seed of the weight samples
   * @param batchSize images per trunk and tail call; the tail gets {@code samples * batchSize} rows
   */
  public record Options(int samples, long seed, int batchSize) {

    /** The default number of weight samples. */
    public static final int DEFAULT_SAMPLES = 32;

    public Options {
      if (samples < 1 || samples > 1024) {
        throw new IllegalArgumentException("samples must be in 1..1024, got " + samples);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
      }
    }

    /** S = 32, seed 0, 128 images per batch. */
    public static Options defaults() {
      return new Options(DEFAULT_SAMPLES, 0, 128);
    }
  }

  private final Encoder encoder;
  private final Options options;

  public MonteCarloPredictor(Encoder encoder, Options options) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.options = Objects.requireNonNull(options, "options");
  }

  public Options options() {
    return options;
  }

  /** Runs the trunk over every image and keeps its features on the heap. */
  public TrunkFeatures trunk(NDManager parent, ImageSource images) {
    ImageShape shape = images.shape();
    int count = images.count();
    float[] values = null;
    long[] exampleShape = null;
    for (int from = 0; from < count; from += options.batchSize()) {
      int to = Math.min(count, from + options.batchSize());
      try (NDScope scope = new NDScope(); NDManager batch = parent.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray x = batch.create(images.normalised(from, to),
            new Shape(to - from, shape.channels(), shape.height(), shape.width()));
        NDArray features = encoder.trunk(x, ForwardPass.inferenceMean());
        if (values == null) {
          exampleShape = Arrays.copyOfRange(features.getShape().getShape(), 1,
              features.getShape().dimension());
          values = new float[Math.multiplyExact(count, TrunkFeatures.exampleSize(exampleShape))];
        }
        float[] batchValues = features.toType(DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(batchValues, 0, values, from * TrunkFeatures.exampleSize(exampleShape),
            batchValues.length);
      }
    }
    if (values == null) {
      throw new IllegalArgumentException("Cannot run the trunk on an empty image set");
    }
    return new TrunkFeatures(values, count, exampleShape);
  }

  /** Runs the tail S times over cached features and summarises the embeddings. */
  public MonteCarloEmbeddings embed(NDManager parent, TrunkFeatures features) {
    int count = features.count();
    float[][] mean = new float[count][];
    double[] variance = new double[count];
    ForwardPass pass = samplingPass();
    for (int from = 0; from < count; from += options.batchSize()) {
      int to = Math.min(count, from + options.batchSize());
      try (NDScope scope = new NDScope(); NDManager batch = parent.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray embeddings = encoder.tail(features.batch(batch, from, to), pass);
        summariseEmbeddings(embeddings, to - from, from, mean, variance);
      }
    }
    return new MonteCarloEmbeddings(mean, variance);
  }

  /** Runs trunk and tail over {@code images}; see {@link #predict(NDManager, TrunkFeatures, PredictionHead, boolean)}. */
  public MonteCarloPrediction predict(NDManager parent, ImageSource images, PredictionHead head) {
    return predict(parent, trunk(parent, images), head, false);
  }

  /**
   * Runs the tail and the head S times over cached features and returns the predictive
   * distribution with its uncertainty scores.
   *
   * @param keepSamples whether to return the per-sample probabilities {@code [S][N][K]}; rejected
   *     when S * N * K exceeds {@link #MAX_KEPT_SAMPLE_VALUES}
   */
  public MonteCarloPrediction predict(NDManager parent, TrunkFeatures features,
      PredictionHead head, boolean keepSamples) {
    int count = features.count();
    int samples = options.samples();
    int classes = head.classes();
    if (keepSamples && (long) samples * count * classes > MAX_KEPT_SAMPLE_VALUES) {
      throw new IllegalArgumentException("Keeping " + samples + " x " + count + " x " + classes
          + " sample probabilities exceeds the limit of " + MAX_KEPT_SAMPLE_VALUES
          + " values; predict in smaller parts or without keepSamples");
    }

    double[][] meanProbabilities = new double[count][];
    double[] predictiveEntropy = new double[count];
    double[] expectedEntropy = new double[count];
    double[] mutualInformation = new double[count];
    double[] predictiveStd = new double[count];
    double[] embeddingVariance = new double[count];
    float[][] meanEmbeddings = new float[count][];
    double[][][] kept = keepSamples ? new double[samples][count][] : null;

    ForwardPass pass = samplingPass();
    for (int from = 0; from < count; from += options.batchSize()) {
      int to = Math.min(count, from + options.batchSize());
      int size = to - from;
      try (NDScope scope = new NDScope(); NDManager batch = parent.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray embeddings = encoder.tail(features.batch(batch, from, to), pass);
        summariseEmbeddings(embeddings, size, from, meanEmbeddings, embeddingVariance);

        NDArray probabilities = head.logits(embeddings, pass).softmax(1);
        double[][][] perSample = toSampleArrays(probabilities.toDoubleArray(), samples, size,
            classes);
        PredictiveUncertainty.Decomposition scores = PredictiveUncertainty.decompose(perSample);
        for (int i = 0; i < size; i++) {
          meanProbabilities[from + i] = scores.meanProbabilities()[i];
          predictiveEntropy[from + i] = scores.predictiveEntropy()[i];
          expectedEntropy[from + i] = scores.expectedEntropy()[i];
          mutualInformation[from + i] = scores.mutualInformation()[i];
          predictiveStd[from + i] = predictedClassStd(perSample, i, scores.meanProbabilities()[i]);
        }
        if (kept != null) {
          for (int s = 0; s < samples; s++) {
            System.arraycopy(perSample[s], 0, kept[s], from, size);
          }
        }
      }
    }
    return new MonteCarloPrediction(meanProbabilities, predictiveEntropy, expectedEntropy,
        mutualInformation, predictiveStd, embeddingVariance, meanEmbeddings, kept);
  }

  private ForwardPass samplingPass() {
    return ForwardPass.inferenceSampled(options.samples(), options.seed());
  }

  /**
   * Writes the mean embedding and the total variance over samples of each example of a batch;
   * {@code embeddings} is {@code [S * B, D]}, sample-major. The variance is computed in double
   * precision.
   */
  private void summariseEmbeddings(NDArray embeddings, int size, int offset, float[][] mean,
      double[] variance) {
    long dimension = embeddings.getShape().get(1);
    NDArray grouped = embeddings.toType(DataType.FLOAT64, false)
        .reshape(options.samples(), size, dimension);
    NDArray groupMean = grouped.mean(new int[] {0});
    NDArray total = grouped.sub(groupMean).square().mean(new int[] {0}).sum(new int[] {1});
    double[] means = groupMean.toDoubleArray();
    double[] totals = total.toDoubleArray();
    int d = (int) dimension;
    for (int i = 0; i < size; i++) {
      float[] row = new float[d];
      for (int j = 0; j < d; j++) {
        row[j] = (float) means[i * d + j];
      }
      mean[offset + i] = row;
      variance[offset + i] = totals[i];
    }
  }

  private static double[][][] toSampleArrays(double[] flat, int samples, int size, int classes) {
    double[][][] result = new double[samples][size][classes];
    int index = 0;
    for (int s = 0; s < samples; s++) {
      for (int i = 0; i < size; i++) {
        System.arraycopy(flat, index, result[s][i], 0, classes);
        index += classes;
      }
    }
    return result;
  }

  private static double predictedClassStd(double[][][] perSample, int example, double[] mean) {
    int predicted = 0;
    for (int k = 1; k < mean.length; k++) {
      if (mean[k] > mean[predicted]) {
        predicted = k;
      }
    }
    double sum = 0;
    double sumSquares = 0;
    for (double[][] sample : perSample) {
      double p = sample[example][predicted];
      sum += p;
      sumSquares += p * p;
    }
    int samples = perSample.length;
    double average = sum / samples;
    return Math.sqrt(Math.max(0, sumSquares / samples - average * average));
  }
}
