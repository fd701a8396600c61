package org.byov.core.nn;

import java.util.SplittableRandom;

/**
 * Counter-based Gaussian noise for weight sampling: the noise of a Bayesian layer depends only on
 * (seed, counter, stream, sample), never on what ran before. Training uses the global step as the
 * counter, so a resumed run draws the same noise as an uninterrupted one; inference uses the
 * request's seed. DJL has no generator object (only the engine-wide seed), hence noise in Java.
 *
 * @param seed run or request seed
 * @param counter position: the global training step, or a request counter
 */
public record NoiseSource(long seed, long counter) {

  /**
   * Returns {@code count} standard normal values for one Bayesian layer and one Monte Carlo
   * sample.
   *
   * @param stream stable index of the Bayesian layer within its network
   * @param sample Monte Carlo sample index
   */
  public float[] gaussian(int stream, int sample, int count) {
    float[] values = new float[count];
    gaussian(stream, sample, values, 0, count);
    return values;
  }

  /** Writes the values that {@link #gaussian(int, int, int)} returns into {@code target}. */
  public void gaussian(int stream, int sample, float[] target, int offset, int count) {
    SplittableRandom random = new SplittableRandom(key(stream, sample));
    for (int i = 0; i < count; i++) {
      target[offset + i] = (float) random.nextGaussian();
    }
  }

  private long key(int stream, int sample) {
    long h = mix64(seed + 0x9E3779B97F4A7C15L);
    h = mix64(h ^ counter);
    h = mix64(h ^ ((long) stream << 32 | (sample & 0xFFFFFFFFL)));
    return h;
  }

  /** The SplitMix64 finaliser (Steele, Lea and Flood, 2014). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
