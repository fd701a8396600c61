package org.byov.core.checkpoint;

/**
 * Where a run's random streams stand. Every random draw is derived from counters, not from a
 * stateful generator: data order from (seed, epoch), augmentations and weight noise from
 * (seed, step). The seed and the step therefore fix every later draw.
 *
 * @param algorithm name of the derivation, {@code splitmix64-counter}
 * @param seed the run seed
 * @param step the global step the next draw uses
 */
public record RngPosition(String algorithm, long seed, long step) {

  public static final String ALGORITHM = "splitmix64-counter";
}
