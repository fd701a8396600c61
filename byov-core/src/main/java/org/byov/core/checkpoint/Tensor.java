package org.byov.core.checkpoint;

import java.util.Arrays;

/**
 * A float32 tensor held in Java memory: its shape and its row-major values.
 *
 * @param shape dimensions, outermost first
 * @param values {@code product(shape)} values
 */
public record Tensor(long[] shape, float[] values) {

  public Tensor {
    long size = 1;
    for (long dimension : shape) {
      size *= dimension;
    }
    if (size != values.length) {
      throw new IllegalArgumentException("Tensor of shape " + Arrays.toString(shape) + " needs "
          + size + " values, got " + values.length);
    }
  }
}
