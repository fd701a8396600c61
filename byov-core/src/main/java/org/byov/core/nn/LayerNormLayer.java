package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/**
 * Layer normalisation over the last axis of {@code [..., d]} inputs, with scale gamma (initially
 * 1) and shift beta (initially 0), epsilon 1e-5. It normalises each token on its own, so it needs
 * no running statistics and behaves the same in training and inference.
 */
final class LayerNormLayer implements Layer {

  static final float EPSILON = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;
  private final Shape normalizedShape;

  LayerNormLayer(ParameterStore store, String name, int width) {
    this.normalizedShape = new Shape(width);
    this.gamma = store.add(name + ".gamma", ParameterRole.NORM_SCALE, normalizedShape,
        Initializer.constant(width, 1f));
    this.beta = store.add(name + ".beta", ParameterRole.NORM_SHIFT, normalizedShape,
        Initializer.constant(width, 0f));
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    return LayerNorm.layerNorm(input, normalizedShape, gamma.array(), beta.array(), EPSILON)
        .singletonOrThrow();
  }
}
