package org.byov.demo;

/**
 * Sizes of one demo: how much data each run trains on and how thoroughly it is evaluated.
 * {@link #QUICK} backs the end-to-end test; docs/benchmarks.md records how long each profile took.
 *
 * @param name profile name shown in the summary
 * @param trainSubset training images per run (the first n of Fashion-MNIST's 60,000)
 * @param epochs training epochs per run
 * @param batchSize images per optimiser step
 * @param learningRate peak AdamW learning rate of every run
 * @param evalSamples Monte Carlo weight samples per input in evaluation
 * @param evalTrainLimit training images the evaluation embeds to fit the linear probe (a
 *     stratified subset), 0 for all 60,000
 * @param evalTestLimit test images the evaluation uses (of 10,000), 0 for all
 * @param evalOodLimit MNIST digits the OOD evaluation uses (of 10,000), 0 for all
 * @param severities corruption severities the evaluation runs, comma-separated
 * @param inferenceImages images per inference call, in distribution and OOD each
 */
public record DemoProfile(
    String name,
    int trainSubset,
    int epochs,
    int batchSize,
    double learningRate,
    int evalSamples,
    int evalTrainLimit,
    int evalTestLimit,
    int evalOodLimit,
    String severities,
    int inferenceImages) {

  /** Enough to exercise every stage, too small to compare the methods. */
  public static final DemoProfile QUICK =
      new DemoProfile("quick", 1024, 2, 128, 3e-3, 8, 2_000, 500, 500, "1,3,5", 16);

  /**
   * The default demo, sized so that training, not start-up, dominates the run time. It uses batch
   * 128 and learning rate 3e-3 instead of the training defaults (256 and 1e-3). With so few steps
   * the defaults left the BYOV and BYOL encoders no better than at initialisation in a linear
   * probe (measured 2026-12-05: 0.776 and 0.782). ProbeAgainstRandomEncoderTest measures the gain
   * of these settings.
   */
  public static final DemoProfile DEFAULT =
      new DemoProfile("default", 10_000, 5, 128, 3e-3, 32, 10_000, 5_000, 5_000, "1,2,3,4,5", 64);
}
