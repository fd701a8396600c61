package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Cuts images {@code [N, C, H, W]} into non-overlapping p x p patches and flattens each one:
 * output {@code [N, (H / p) * (W / p), C * p * p]}, patches in row-major order, each patch's
 * values in (channel, row, column) order.
 */
final class PatchifyLayer implements Layer {

  private final int patch;

  PatchifyLayer(int patch) {
    this.patch = patch;
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    Shape shape = input.getShape();
    long batch = shape.get(0);
    long channels = shape.get(1);
    long rows = shape.get(2) / patch;
    long columns = shape.get(3) / patch;
    return input.reshape(batch, channels, rows, patch, columns, patch)
        .transpose(0, 2, 4, 1, 3, 5)
        .reshape(batch, rows * columns, channels * patch * patch);
  }
}
