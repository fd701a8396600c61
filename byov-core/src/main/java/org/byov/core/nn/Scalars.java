package org.byov.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for arrays that take part in a backward pass.
 *
 * <p>DJL's {@code mul}, {@code div}, {@code maximum}, {@code minimum} and {@code clip} with a
 * {@code Number} wrap it in a 0-d array over a Java direct buffer and close that array when the
 * operation returns. Autograd keeps the tensor for the backward pass, but a garbage collection can
 * free its buffer first, and the backward pass then reads reused memory: a floor read as 1e6, for
 * example, sets the whole gradient to 0. The scalars made here belong to the operand's manager, so
 * they live as long as the operand does.
 */
public final class Scalars {

  private Scalars() {}

  /** Returns {@code value} as a 0-d array of {@code like}'s type, owned by {@code like}'s manager. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().create(value).toType(like.getDataType(), false);
  }

  /** Returns {@code x * factor}, safe to differentiate. */
  public static NDArray times(NDArray x, double factor) {
    return x.mul(of(x, factor));
  }

  /** Returns {@code max(x, floor)} element-wise, safe to differentiate. */
  public static NDArray atLeast(NDArray x, double floor) {
    return x.maximum(of(x, floor));
  }

  /** Returns {@code min(x, ceiling)} element-wise, safe to differentiate. */
  public static NDArray atMost(NDArray x, double ceiling) {
    return x.minimum(of(x, ceiling));
  }
}
