package org.byov.core.train;

import java.util.SplittableRandom;

/**
 * Seeds of the run's random streams, each derived from the run seed and a counter so that any
 * position can be reproduced without replaying earlier draws.
 */
final class Seeds {

  private static final long SUBSET = 0x5EB5E7L;
  private static final long ORDER = 0x0DE4L;
  private static final long AUGMENTATION = 0xA06L;

  private Seeds() {}

  static long subset(long seed) {
    return mix(mix(seed ^ SUBSET));
  }

  static long epochOrder(long seed, int epoch) {
    return mix(mix(seed ^ ORDER) ^ epoch);
  }

  static long augmentation(long seed, long step) {
    return mix(mix(seed ^ AUGMENTATION) ^ step);
  }

  /** Returns {@code indices} shuffled by Fisher-Yates with {@code seed}. */
  static int[] shuffled(int[] indices, long seed) {
    int[] result = indices.clone();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = result.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = result[i];
      result[i] = result[j];
      result[j] = swap;
    }
    return result;
  }

  /** The SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
