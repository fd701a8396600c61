package org.byov.core.nn;

/**
 * How a forward pass runs.
 *
 * @param training whether BatchNorm uses batch statistics (true) or running statistics (false)
 * @param updateRunningStatistics whether a training-mode BatchNorm also updates its running
 *     statistics; false for the EMA target, whose statistics follow the online network instead
 * @param samples number of weight samples S of the Bayesian tail; tail activations are laid out
 *     as {@code [S * batch, ...]}, sample-major
 * @param weights whether Bayesian layers sample weights or use their posterior means
 * @param noise noise for sampled weights; unused when {@code weights} is {@link WeightMode#MEAN}
 */
public record ForwardPass(
    boolean training,
    boolean updateRunningStatistics,
    int samples,
    WeightMode weights,
    NoiseSource noise) {

  /** Whether Bayesian layers draw weights or use mu. */
  public enum WeightMode {
    SAMPLED,
    MEAN
  }

  public ForwardPass {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    }
    if (weights == WeightMode.SAMPLED && noise == null) {
      throw new IllegalArgumentException("A sampled pass needs a noise source");
    }
    if (weights == WeightMode.MEAN && samples != 1) {
      throw new IllegalArgumentException("A mean pass has exactly one sample, got " + samples);
    }
  }

  /** One training pass of the online network with one weight sample at {@code step}. */
  public static ForwardPass trainingSample(long seed, long step) {
    return new ForwardPass(true, true, 1, WeightMode.SAMPLED, new NoiseSource(seed, step));
  }

  /** A training-mode pass with posterior means that leaves running statistics alone (target). */
  public static ForwardPass targetPass() {
    return new ForwardPass(true, false, 1, WeightMode.MEAN, null);
  }

  /** An inference pass with posterior means and running statistics. */
  public static ForwardPass inferenceMean() {
    return new ForwardPass(false, false, 1, WeightMode.MEAN, null);
  }

  /** An inference pass with {@code samples} weight samples drawn from {@code seed}. */
  public static ForwardPass inferenceSampled(int samples, long seed) {
    return new ForwardPass(false, false, samples, WeightMode.SAMPLED, new NoiseSource(seed, 0));
  }
}
