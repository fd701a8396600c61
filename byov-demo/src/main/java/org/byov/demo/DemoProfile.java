package org.byov.demo;

/**
 * Sizes of one demo: how much data each run trains on and how thoroughly it is evaluated. The
 * default finishes within about 20 minutes on 2 cores; {@link #QUICK} within a few minutes, for
 * the end-to-end test.
 *
 * @param name profile name shown in the summary
 * @param trainSubset training images per run (the first n of Fashion-MNIST's 60,000)
 * @param epochs training epochs per run
 * @param batchSize images per optimiser step
 * @param evalSamples Monte Carlo weight samples per input in evaluation
 * @param evalTestSubset test images the evaluation uses (of 10,000), 0 for all
 * @param corruptions whether the evaluation runs the corruption suite
 * @param inferenceImages images per inference call, in distribution and OOD each
 */
public record DemoProfile(
    String name,
    int trainSubset,
    int epochs,
    int batchSize,
    int evalSamples,
    int evalTestSubset,
    boolean corruptions,
    int inferenceImages) {

  /** About 3 minutes on 2 cores: enough to exercise every stage, too small to compare methods. */
  public static final DemoProfile QUICK = new DemoProfile("quick", 1024, 2, 128, 8, 500, true, 16);

  /** The default demo: large enough that BYOV and BYOL differ measurably. */
  public static final DemoProfile DEFAULT =
      new DemoProfile("default", 10_000, 5, 256, 32, 2_000, true, 64);
}
