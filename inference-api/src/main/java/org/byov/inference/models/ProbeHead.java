package org.byov.inference.models;

import org.byov.core.probe.LinearProbe;

/**
 * A linear classifier on the raw embedding, applied to each embedding sample:
 * {@code logits = W x + b}, with W of shape {@code [K, D]} and b of shape {@code [K]}.
 */
public record ProbeHead(double[][] weights, double[] bias) implements PredictionHead {

  public ProbeHead {
    if (weights == null || weights.length < 2 || bias == null || bias.length != weights.length) {
      throw new IllegalArgumentException("A probe head needs W [K, D] and b [K] with K >= 2");
    }
    int dim = weights[0].length;
    for (double[] row : weights) {
      if (row.length != dim) {
        throw new IllegalArgumentException("Probe head rows of W must all have length " + dim);
      }
    }
  }

  /** Returns the head of a trained linear probe. */
  public static ProbeHead of(LinearProbe probe) {
    return new ProbeHead(probe.weights(), probe.bias());
  }

  @Override
  public int classes() {
    return weights.length;
  }

  @Override
  public int embeddingDim() {
    return weights[0].length;
  }

  @Override
  public String kind() {
    return "linear-probe";
  }

  /** Applies the probe to each sample; its weights are fixed, so the seed is not used. */
  @Override
  public double[][] probabilities(float[][] samples, long seed, int imageIndex) {
    double[][] probabilities = new double[samples.length][];
    for (int s = 0; s < samples.length; s++) {
      probabilities[s] = probabilities(samples[s]);
    }
    return probabilities;
  }

  /** Returns the softmax of {@code W x + b} for one embedding x, computed in double precision. */
  public double[] probabilities(float[] embedding) {
    int classes = classes();
    double[] logits = new double[classes];
    for (int k = 0; k < classes; k++) {
      double sum = bias[k];
      double[] row = weights[k];
      for (int d = 0; d < row.length; d++) {
        sum += row[d] * embedding[d];
      }
      logits[k] = sum;
    }
    return PredictionHead.softmax(logits);
  }
}
