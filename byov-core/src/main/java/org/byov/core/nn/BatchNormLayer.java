package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Batch normalisation over axis 1 of {@code [N, C]} or {@code [N, C, H, W]} inputs, with scale
 * gamma, shift beta and running statistics (momentum 0.1 in PyTorch's convention: running = 0.9
 * running + 0.1 batch). A pass with {@code updateRunningStatistics = false} normalises with batch
 * statistics but leaves the running statistics unchanged.
 */
public final class BatchNormLayer implements Layer {

  /** DJL's momentum is the weight of the old running value; PyTorch receives 1 - this. */
  static final float DJL_MOMENTUM = 0.9f;
  static final float EPSILON = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVariance;

  BatchNormLayer(ParameterStore store, String name, int channels) {
    Shape shape = new Shape(channels);
    this.gamma = store.add(name + ".gamma", ParameterRole.NORM_SCALE, shape,
        Initializer.constant(channels, 1f));
    this.beta = store.add(name + ".beta", ParameterRole.NORM_SHIFT, shape,
        Initializer.constant(channels, 0f));
    this.runningMean = store.add(name + ".runningMean", ParameterRole.RUNNING_MEAN, shape,
        Initializer.constant(channels, 0f));
    this.runningVariance = store.add(name + ".runningVariance", ParameterRole.RUNNING_VARIANCE,
        shape, Initializer.constant(channels, 1f));
  }

  /**
   * Returns the per-channel scale a and shift c with which this layer computes {@code a * x + c}
   * in inference mode, from the current values: {@code a = gamma / sqrt(runningVariance +
   * epsilon)} and {@code c = beta - a * runningMean}. Serving folds them into the layer before.
   *
   * @return {@code {a, c}}, each of length channels
   */
  public float[][] inferenceScaleShift() {
    float[] gammas = gamma.array().toFloatArray();
    float[] betas = beta.array().toFloatArray();
    float[] means = runningMean.array().toFloatArray();
    float[] variances = runningVariance.array().toFloatArray();
    float[] scale = new float[gammas.length];
    float[] shift = new float[gammas.length];
    for (int c = 0; c < gammas.length; c++) {
      scale[c] = (float) (gammas[c] / Math.sqrt((double) variances[c] + EPSILON));
      shift[c] = betas[c] - scale[c] * means[c];
    }
    return new float[][] {scale, shift};
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    NDArray mean = runningMean.array();
    NDArray variance = runningVariance.array();
    if (pass.training() && !pass.updateRunningStatistics()) {
      mean = mean.duplicate();
      variance = variance.duplicate();
    }
    return ai.djl.nn.norm.BatchNorm.batchNorm(input, mean, variance, gamma.array(), beta.array(),
        1, DJL_MOMENTUM, EPSILON, pass.training()).singletonOrThrow();
  }
}
