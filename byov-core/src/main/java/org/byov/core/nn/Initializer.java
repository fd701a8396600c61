package org.byov.core.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initial parameter values drawn from a seeded Java generator, so that a network built twice with
 * the same seed is identical on every engine and thread count.
 */
public final class Initializer {

  /** Initial posterior rho; softplus(-5) = 6.7153e-3. */
  public static final float INITIAL_RHO = -5f;

  private final SplittableRandom random;

  public Initializer(long seed) {
    this.random = new SplittableRandom(NoiseSource.mix64(seed ^ 0x5DEECE66DL));
  }

  /** He (Kaiming) normal values: N(0, 2 / fanIn), suited to ReLU networks. */
  public float[] heNormal(int count, int fanIn) {
    double std = Math.sqrt(2.0 / fanIn);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return values;
  }

  public static float[] constant(int count, float value) {
    float[] values = new float[count];
    Arrays.fill(values, value);
    return values;
  }
}
