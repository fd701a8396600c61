package org.byov.core.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * L2-regularised multinomial logistic loss on standardised features, with its gradient:
 *
 * <pre>
 *   f(W, b) = (1/n) sum_i [ logsumexp(W x_i + b) - (W x_i + b)_{y_i} ] + (l2 / 2) ||W||^2
 * </pre>
 *
 * The bias is not regularised. Parameters are one vector: W row-major {@code [K][D]}, then
 * b {@code [K]}. Rows are split into fixed chunks whose partial sums are added in chunk order, so
 * the result does not depend on the number of threads.
 */
final class SoftmaxObjective {

  private static final int CHUNK_ROWS = 2048;

  private final double[] features;
  private final int[] labels;
  private final int[] rows;
  private final int dimension;
  private final int classes;
  private final double l2;
  private final ExecutorService executor;

  /**
   * @param features standardised features, row-major {@code [N][D]}
   * @param labels class of each row
   * @param rows indices of the rows that form the training set
   * @param executor runs the chunks, or {@code null} to run them on the calling thread
   */
  SoftmaxObjective(
      double[] features, int[] labels, int[] rows, int dimension, int classes, double l2,
      ExecutorService executor) {
    this.features = features;
    this.labels = labels;
    this.rows = rows;
    this.dimension = dimension;
    this.classes = classes;
    this.l2 = l2;
    this.executor = executor;
  }

  int parameterCount() {
    return classes * dimension + classes;
  }

  /** Computes the loss at {@code parameters} and writes its gradient into {@code gradient}. */
  double evaluate(double[] parameters, double[] gradient) {
    int chunkCount = (rows.length + CHUNK_ROWS - 1) / CHUNK_ROWS;
    double[][] partialGradients = new double[chunkCount][];
    double[] partialLosses = new double[chunkCount];
    runChunks(chunkCount, parameters, partialGradients, partialLosses);

    java.util.Arrays.fill(gradient, 0);
    double loss = 0;
    for (int c = 0; c < chunkCount; c++) {
      loss += partialLosses[c];
      double[] partial = partialGradients[c];
      for (int j = 0; j < gradient.length; j++) {
        gradient[j] += partial[j];
      }
    }

    double scale = 1.0 / rows.length;
    loss *= scale;
    for (int j = 0; j < gradient.length; j++) {
      gradient[j] *= scale;
    }
    int weightCount = classes * dimension;
    double squaredNorm = 0;
    for (int j = 0; j < weightCount; j++) {
      squaredNorm += parameters[j] * parameters[j];
      gradient[j] += l2 * parameters[j];
    }
    return loss + 0.5 * l2 * squaredNorm;
  }

  private void runChunks(
      int chunkCount, double[] parameters, double[][] partialGradients, double[] partialLosses) {
    if (executor == null || chunkCount == 1) {
      for (int c = 0; c < chunkCount; c++) {
        partialGradients[c] = new double[parameterCount()];
        partialLosses[c] = evaluateChunk(c, parameters, partialGradients[c]);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(chunkCount);
    for (int c = 0; c < chunkCount; c++) {
      int chunk = c;
      futures.add(executor.submit(() -> {
        partialGradients[chunk] = new double[parameterCount()];
        partialLosses[chunk] = evaluateChunk(chunk, parameters, partialGradients[chunk]);
      }));
    }
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while fitting the linear probe", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("Linear probe gradient failed", e.getCause());
      }
    }
  }

  /** Returns the summed loss of one chunk's rows and adds their summed gradient. */
  private double evaluateChunk(int chunk, double[] parameters, double[] gradient) {
    int start = chunk * CHUNK_ROWS;
    int end = Math.min(rows.length, start + CHUNK_ROWS);
    int biasOffset = classes * dimension;
    double[] logits = new double[classes];
    double loss = 0;
    for (int r = start; r < end; r++) {
      int row = rows[r];
      int rowOffset = row * dimension;
      computeLogits(parameters, rowOffset, logits);
      loss += softmaxInPlace(logits, labels[row]);

      // logits now holds p - onehot(y), the gradient of the loss with respect to the logits.
      for (int k = 0; k < classes; k++) {
        double residual = logits[k];
        int weightOffset = k * dimension;
        for (int d = 0; d < dimension; d++) {
          gradient[weightOffset + d] += residual * features[rowOffset + d];
        }
        gradient[biasOffset + k] += residual;
      }
    }
    return loss;
  }

  /** Writes W x + b for the row starting at {@code rowOffset}. */
  void computeLogits(double[] parameters, int rowOffset, double[] logits) {
    int biasOffset = classes * dimension;
    for (int k = 0; k < classes; k++) {
      int weightOffset = k * dimension;
      // Four partial sums break the dependency chain of one running sum.
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int d = 0;
      for (; d + 3 < dimension; d += 4) {
        s0 += parameters[weightOffset + d] * features[rowOffset + d];
        s1 += parameters[weightOffset + d + 1] * features[rowOffset + d + 1];
        s2 += parameters[weightOffset + d + 2] * features[rowOffset + d + 2];
        s3 += parameters[weightOffset + d + 3] * features[rowOffset + d + 3];
      }
      for (; d < dimension; d++) {
        s0 += parameters[weightOffset + d] * features[rowOffset + d];
      }
      logits[k] = (s0 + s1) + (s2 + s3) + parameters[biasOffset + k];
    }
  }

  /**
   * Replaces the logits by softmax(logits) - onehot(label) and returns the cross-entropy
   * -ln softmax(logits)[label], computed with the max subtracted so that exp cannot overflow.
   */
  static double softmaxInPlace(double[] logits, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double shiftedLabelLogit = logits[label] - max;
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      logits[k] = Math.exp(logits[k] - max);
      sum += logits[k];
    }
    double loss = Math.log(sum) - shiftedLabelLogit;
    for (int k = 0; k < logits.length; k++) {
      logits[k] /= sum;
    }
    logits[label] -= 1;
    return loss;
  }
}
