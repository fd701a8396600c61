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
 *
 * <p>The logits of a chunk are computed from a column-major copy of its rows and the gradient from
 * the row-major features, so that both inner loops are long element-wise updates that the JIT
 * compiler vectorises, rather than dot-product reductions.
 */
final class SoftmaxObjective {

  private static final int CHUNK_ROWS = 512;

  private final double[] features;
  private final int[] labels;
  private final int[] rows;
  private final int dimension;
  private final int classes;
  private final double l2;
  private final ExecutorService executor;
  /** Per chunk, its rows' standardised features column-major: {@code [D][rows in chunk]}. */
  private final double[][] columnChunks;

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
    this.columnChunks = transposeChunks();
  }

  private double[][] transposeChunks() {
    int chunkCount = (rows.length + CHUNK_ROWS - 1) / CHUNK_ROWS;
    double[][] chunks = new double[chunkCount][];
    for (int c = 0; c < chunkCount; c++) {
      int start = c * CHUNK_ROWS;
      int size = Math.min(rows.length, start + CHUNK_ROWS) - start;
      double[] columns = new double[dimension * size];
      for (int i = 0; i < size; i++) {
        int rowOffset = rows[start + i] * dimension;
        for (int d = 0; d < dimension; d++) {
          columns[d * size + i] = features[rowOffset + d];
        }
      }
      chunks[c] = columns;
    }
    return chunks;
  }

  int parameterCount() {
    return classes * dimension + classes;
  }

  /** Computes the loss at {@code parameters} and writes its gradient into {@code gradient}. */
  double evaluate(double[] parameters, double[] gradient) {
    int chunkCount = columnChunks.length;
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
    double[] columns = columnChunks[chunk];
    int size = columns.length / dimension;
    int biasOffset = classes * dimension;

    // Logits [K][size]: bias, plus for each dimension d the column of x_d times W[k][d].
    double[] chunkLogits = new double[classes * size];
    for (int k = 0; k < classes; k++) {
      java.util.Arrays.fill(chunkLogits, k * size, (k + 1) * size, parameters[biasOffset + k]);
    }
    for (int d = 0; d < dimension; d++) {
      int columnOffset = d * size;
      for (int k = 0; k < classes; k++) {
        double weight = parameters[k * dimension + d];
        int logitOffset = k * size;
        for (int i = 0; i < size; i++) {
          chunkLogits[logitOffset + i] += weight * columns[columnOffset + i];
        }
      }
    }

    double[] logits = new double[classes];
    double loss = 0;
    for (int i = 0; i < size; i++) {
      int row = rows[start + i];
      for (int k = 0; k < classes; k++) {
        logits[k] = chunkLogits[k * size + i];
      }
      loss += softmaxInPlace(logits, labels[row]);

      // logits now holds p - onehot(y), the gradient of the loss with respect to the logits.
      int rowOffset = row * dimension;
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

  /** Writes W x + b for the row of standardised features starting at {@code rowOffset}. */
  static void computeLogits(
      double[] parameters, double[] features, int rowOffset, int dimension, double[] logits) {
    int classes = logits.length;
    int biasOffset = classes * dimension;
    for (int k = 0; k < classes; k++) {
      int weightOffset = k * dimension;
      double sum = parameters[biasOffset + k];
      for (int d = 0; d < dimension; d++) {
        sum += parameters[weightOffset + d] * features[rowOffset + d];
      }
      logits[k] = sum;
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
