package org.byov.inference.models;

import org.byov.core.probe.LinearProbe;

/**
 * A linear classifier on the raw embedding, applied to each embedding sample:
 * {@code logits = W x + b}, with W of shape {@code [K, D]} and b of shape {@code [K]}.
 */
public record ProbeHead(double[][] weights, double[] bias) {

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

  public int classes() {
    return weights.length;
  }

  public int embeddingDim() {
    return weights[0].length;
  }

  /** Returns the softmax of {@code W x + b} for one embedding x, computed in double precision. */
  public double[] probabilities(float[] embedding) {
    int classes = classes();
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      double sum = bias[k];
      double[] row = weights[k];
      for (int d = 0; d < row.length; d++) {
        sum += row[d] * embedding[d];
      }
      logits[k] = sum;
      max = Math.max(max, sum);
    }
    double total = 0;
    for (int k = 0; k < classes; k++) {
      logits[k] = Math.exp(logits[k] - max);
      total += logits[k];
    }
    for (int k = 0; k < classes; k++) {
      logits[k] /= total;
    }
    return logits;
  }
}
