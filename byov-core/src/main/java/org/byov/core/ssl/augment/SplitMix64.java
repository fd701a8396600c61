package org.byov.core.ssl.augment;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), written out here so that a seed gives the same augmentations on
 * every Java version. One instance is used by one thread.
 */
final class SplitMix64 {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  /** Returns the SplitMix64 output function of {@code z}, a bijective 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Returns a uniform double in [0, 1) from the top 53 bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Returns a uniform double in [min, max). */
  double uniform(double min, double max) {
    return min + (max - min) * nextDouble();
  }

  /** Returns true with probability {@code p}; p = 0 never and p = 1 always returns true. */
  boolean bernoulli(double p) {
    return nextDouble() < p;
  }

  /**
   * Returns an integer in [0, bound) for 1 <= bound <= 2^31 by multiplying 32 random bits by
   * {@code bound}. Its bias is below bound / 2^32, under 1e-6 for image-sized bounds.
   */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }
}
