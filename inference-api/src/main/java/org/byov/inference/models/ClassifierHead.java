package org.byov.inference.models;

import org.byov.core.nn.BayesianLinear;
import org.byov.core.nn.Layer;
import org.byov.core.nn.NoiseSource;

/**
 * The classifier layer of a {@code supervised-bbb} model, {@code logits = W e + b} with W of shape
 * {@code [K, D]}, applied to each embedding sample in double precision.
 *
 * <p>A Bayesian classifier (every scope but {@code none}) has W ~ N(mu, sigma^2). For embedding
 * sample s it uses the local reparameterisation trick, as the serving tail does: given the sample
 * e, the logits are Gaussian with mean {@code mu e + b} and variance {@code sigma^2 e^2}, so they
 * are drawn as {@code mean + sqrt(variance) * epsilon}. For one image and one sample this is the
 * distribution that sampling the classifier's weights gives, and the predictive distribution
 * averages over the tail's and the classifier's weights together. Epsilon comes from {@code
 * NoiseSource(seed, imageIndex)} on the stream after the tail's Bayesian layers, so a reply
 * depends only on its request.
 *
 * @param mean mu (or the weights of a deterministic classifier) {@code [K][D]}
 * @param variance sigma^2 {@code [K][D]}, or null for a deterministic classifier
 * @param bias b {@code [K]}
 * @param noiseStream the noise stream of the classifier
 */
public record ClassifierHead(double[][] mean, double[][] variance, double[] bias,
    int noiseStream) implements PredictionHead {

  /** Name prefix of the classifier's parameters in a model directory. */
  static final String NAME = "classifier";

  public ClassifierHead {
    if (mean == null || mean.length < 2 || bias == null || bias.length != mean.length) {
      throw new IllegalArgumentException("A classifier head needs W [K, D] and b [K] with K >= 2");
    }
    if (variance != null && variance.length != mean.length) {
      throw new IllegalArgumentException("The classifier's sigma has " + variance.length
          + " rows but its mu has " + mean.length);
    }
  }

  /**
   * Copies the classifier layer's parameters out of {@code network}.
   *
   * @param classifier the network's classifier layer, Bayesian or not
   * @param noiseStream the stream after the tail's Bayesian layers
   */
  static ClassifierHead of(ServingNetwork network, Layer classifier, int noiseStream) {
    int classes = network.layout().classes();
    int dim = network.embeddingDim();
    double[] bias = toDoubles(network.store().get(NAME + ".bias").array().toFloatArray());
    if (classifier instanceof BayesianLinear bayesian) {
      double[][] mu = rows(bayesian.mean().array().toFloatArray(), classes, dim);
      double[][] sigma = rows(bayesian.sigma().array().toFloatArray(), classes, dim);
      for (double[] row : sigma) {
        for (int d = 0; d < row.length; d++) {
          row[d] = row[d] * row[d];
        }
      }
      return new ClassifierHead(mu, sigma, bias, noiseStream);
    }
    double[][] weights = rows(network.store().get(NAME + ".weight").array().toFloatArray(),
        classes, dim);
    return new ClassifierHead(weights, null, bias, noiseStream);
  }

  @Override
  public int classes() {
    return mean.length;
  }

  @Override
  public int embeddingDim() {
    return mean[0].length;
  }

  @Override
  public String kind() {
    return NAME;
  }

  /** Returns whether the classifier's weights are distributions (every scope but none). */
  public boolean bayesian() {
    return variance != null;
  }

  @Override
  public double[][] probabilities(float[][] samples, long seed, int imageIndex) {
    NoiseSource noise = new NoiseSource(seed, imageIndex);
    double[][] probabilities = new double[samples.length][];
    for (int s = 0; s < samples.length; s++) {
      double[] logits = logits(samples[s]);
      if (variance != null) {
        float[] epsilon = noise.gaussian(noiseStream, s, logits.length);
        double[] std = standardDeviations(samples[s]);
        for (int k = 0; k < logits.length; k++) {
          logits[k] += std[k] * epsilon[k];
        }
      }
      probabilities[s] = PredictionHead.softmax(logits);
    }
    return probabilities;
  }

  /** Returns the logit means {@code mu e + b} for one embedding e. */
  private double[] logits(float[] embedding) {
    double[] logits = new double[mean.length];
    for (int k = 0; k < mean.length; k++) {
      double sum = bias[k];
      double[] row = mean[k];
      for (int d = 0; d < row.length; d++) {
        sum += row[d] * embedding[d];
      }
      logits[k] = sum;
    }
    return logits;
  }

  /** Returns the logit standard deviations {@code sqrt(sigma^2 e^2)} for one embedding e. */
  private double[] standardDeviations(float[] embedding) {
    double[] std = new double[variance.length];
    for (int k = 0; k < variance.length; k++) {
      double sum = 0;
      double[] row = variance[k];
      for (int d = 0; d < row.length; d++) {
        sum += row[d] * embedding[d] * embedding[d];
      }
      std[k] = Math.sqrt(sum);
    }
    return std;
  }

  private static double[][] rows(float[] values, int rows, int columns) {
    if (values.length != rows * columns) {
      throw new IllegalArgumentException("The classifier has " + values.length
          + " weights, expected " + rows + " x " + columns);
    }
    double[][] matrix = new double[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        matrix[r][c] = values[r * columns + c];
      }
    }
    return matrix;
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
