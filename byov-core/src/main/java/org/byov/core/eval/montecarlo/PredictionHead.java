package org.byov.core.eval.montecarlo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.Layer;

/**
 * Maps tail embeddings to class logits: a fixed linear probe for a self-supervised encoder, or the
 * (possibly Bayesian) classifier layer of a {@code supervised-bbb} network, which then runs with
 * the same weight samples as the tail.
 */
public interface PredictionHead {

  /** Returns the number of classes K. */
  int classes();

  /**
   * Returns logits {@code [S * B, K]} for embeddings {@code [S * B, D]}, sample-major, in double
   * precision so that confidences near 1 keep their resolution.
   */
  NDArray logits(NDArray embeddings, ForwardPass pass);

  /**
   * Creates a fixed linear head, logits = W x + b.
   *
   * @param weights W, {@code [K][D]}
   * @param bias b, {@code [K]}
   */
  static PredictionHead linear(double[][] weights, double[] bias) {
    int classes = weights.length;
    if (classes < 2 || bias.length != classes) {
      throw new IllegalArgumentException("A linear head needs at least 2 classes and one bias per"
          + " class, got " + classes + " weight rows and " + bias.length + " biases");
    }
    int dimension = weights[0].length;
    double[] transposed = new double[dimension * classes];
    for (int k = 0; k < classes; k++) {
      if (weights[k].length != dimension) {
        throw new IllegalArgumentException("Weight row " + k + " has " + weights[k].length
            + " values, expected " + dimension);
      }
      for (int d = 0; d < dimension; d++) {
        transposed[d * classes + k] = weights[k][d];
      }
    }
    double[] biasCopy = bias.clone();
    return new PredictionHead() {
      @Override
      public int classes() {
        return classes;
      }

      @Override
      public NDArray logits(NDArray embeddings, ForwardPass pass) {
        long embeddingDim = embeddings.getShape().get(1);
        if (embeddingDim != dimension) {
          throw new IllegalArgumentException("The linear head expects embeddings of dimension "
              + dimension + ", got " + embeddingDim);
        }
        NDArray w = embeddings.getManager().create(transposed, new Shape(dimension, classes));
        NDArray b = embeddings.getManager().create(biasCopy);
        return embeddings.toType(DataType.FLOAT64, false).matMul(w).add(b);
      }
    };
  }

  /**
   * Wraps the classifier layer of a network, run with the pass of the tail. A Bayesian classifier
   * draws its own weight sample for each of the S tail samples.
   */
  static PredictionHead classifier(Layer classifier, int classes) {
    return new PredictionHead() {
      @Override
      public int classes() {
        return classes;
      }

      @Override
      public NDArray logits(NDArray embeddings, ForwardPass pass) {
        return classifier.forward(embeddings, pass).toType(DataType.FLOAT64, false);
      }
    };
  }
}
