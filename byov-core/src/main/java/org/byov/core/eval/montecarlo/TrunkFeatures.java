package org.byov.core.eval.montecarlo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * The deterministic trunk's output for a whole image set, cached on the Java heap so that the
 * Bayesian tail can be run again (another probe, another pruning level) without the trunk. The
 * default CNN with scope {@code last-1} gives 256 floats per image, so 10,000 images take 10 MB.
 *
 * @param values features of every image, flat, {@code [N, ...exampleShape]} row-major
 * @param count number of images N
 * @param exampleShape shape of one image's features, for example {@code [256]}
 */
public record TrunkFeatures(float[] values, int count, long[] exampleShape) {

  public TrunkFeatures {
    Objects.requireNonNull(values, "values");
    exampleShape = exampleShape.clone();
    long expected = (long) count * exampleSize(exampleShape);
    if (count < 0 || values.length != expected) {
      throw new IllegalArgumentException("Trunk features of " + count + " examples of shape "
          + Arrays.toString(exampleShape) + " need " + expected + " values, got " + values.length);
    }
  }

  /** Returns the features of examples {@code [from, to)} as {@code [to - from, ...exampleShape]}. */
  public NDArray batch(NDManager manager, int from, int to) {
    Objects.checkFromToIndex(from, to, count);
    int size = exampleSize(exampleShape);
    float[] slice = Arrays.copyOfRange(values, from * size, to * size);
    return manager.create(slice, new Shape(to - from).addAll(new Shape(exampleShape)));
  }

  static int exampleSize(long[] shape) {
    long size = 1;
    for (long dimension : shape) {
      size *= dimension;
    }
    return Math.toIntExact(size);
  }
}
