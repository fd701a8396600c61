package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Adds a fixed 2-D sine-cosine position embedding to tokens {@code [N, rows * columns, d]}. The
 * first d/2 channels encode the patch row and the last d/2 the column. Each half is
 * {@code sin(position * omega_i)} followed by {@code cos(position * omega_i)} with
 * {@code omega_i = 10000^(-i / (d/4))}, i = 0 .. d/4 - 1. Being fixed, it has no parameters for
 * the optimiser, the EMA or the Bayesian scope.
 */
final class PositionEmbeddingLayer implements Layer {

  private final float[] table;
  private final Shape shape;

  PositionEmbeddingLayer(int rows, int columns, int width) {
    this.shape = new Shape(rows * columns, width);
    this.table = new float[rows * columns * width];
    int quarter = width / 4;
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < columns; column++) {
        int offset = (row * columns + column) * width;
        fill(table, offset, row, quarter);
        fill(table, offset + 2 * quarter, column, quarter);
      }
    }
  }

  private static void fill(float[] table, int offset, int position, int quarter) {
    for (int i = 0; i < quarter; i++) {
      double omega = Math.pow(10000.0, -(double) i / quarter);
      table[offset + i] = (float) Math.sin(position * omega);
      table[offset + quarter + i] = (float) Math.cos(position * omega);
    }
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    NDArray embedding = input.getManager().create(table, shape);
    return input.add(embedding);
  }
}
