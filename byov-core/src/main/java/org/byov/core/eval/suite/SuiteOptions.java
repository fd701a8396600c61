package org.byov.core.eval.suite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one evaluation.
 *
 * @param dataset in-distribution dataset name or directory, for example {@code fashion-mnist}
 * @param oodDataset OOD dataset name or directory (its test split is used), or null for no OOD
 * @param samples Monte Carlo weight samples S, 1 to 1024
 * @param seed seed of the validation split, the subsets, the weight samples and the corruptions
 * @param validationFraction fraction of each class of the training set held out for the probe's
 *     regularisation and the abstain threshold, in (0, 1)
 * @param targetCoverage coverage the abstain threshold is chosen for, in (0, 1]
 * @param corruptions whether to evaluate under corruptions
 * @param severities corruption severities to evaluate, each 1 to 5
 * @param sparsities pruning sparsities, each in [0, 1]
 * @param trainLimit use at most this many training images (a stratified subset), 0 for all
 * @param testLimit use at most this many test images, 0 for all
 * @param oodLimit use at most this many OOD images, 0 for all
 * @param batchSize images per trunk and tail call
 * @param histogramBins bins of the OOD score histograms
 * @param probeThreads threads of the linear probe's fit
 */
public record SuiteOptions(String dataset, String oodDataset, int samples, long seed,
    double validationFraction, double targetCoverage, boolean corruptions, List<Integer> severities,
    List<Double> sparsities, int trainLimit, int testLimit, int oodLimit, int batchSize,
    int histogramBins, int probeThreads) {

  public static final List<Integer> ALL_SEVERITIES = List.of(1, 2, 3, 4, 5);
  public static final List<Double> DEFAULT_SPARSITIES =
      List.of(0.0, 0.50, 0.75, 0.90, 0.95, 0.98, 0.99);

  public SuiteOptions {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("dataset must be set, for example fashion-mnist");
    }
    if (samples < 1 || samples > 1024) {
      throw new IllegalArgumentException("samples must be in 1..1024, got " + samples);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1), got " + validationFraction);
    }
    if (!(targetCoverage > 0 && targetCoverage <= 1)) {
      throw new IllegalArgumentException(
          "targetCoverage must be in (0, 1], got " + targetCoverage);
    }
    severities = List.copyOf(severities);
    for (int severity : severities) {
      if (severity < 1 || severity > 5) {
        throw new IllegalArgumentException("Corruption severity must be 1 to 5, got " + severity);
      }
    }
    sparsities = List.copyOf(sparsities);
    for (double sparsity : sparsities) {
      if (!(sparsity >= 0 && sparsity <= 1)) {
        throw new IllegalArgumentException("Sparsity must be in [0, 1], got " + sparsity);
      }
    }
    if (trainLimit < 0 || testLimit < 0 || oodLimit < 0) {
      throw new IllegalArgumentException("Subset limits must be 0 (all) or positive, got train "
          + trainLimit + ", test " + testLimit + ", OOD " + oodLimit);
    }
    if (batchSize < 1 || histogramBins < 1 || probeThreads < 1) {
      throw new IllegalArgumentException("batchSize, histogramBins and probeThreads must be at"
          + " least 1, got " + batchSize + ", " + histogramBins + " and " + probeThreads);
    }
  }

  /**
   * Returns the full evaluation: Fashion-MNIST against MNIST digits, S = 32, every corruption at every
   * severity, every sparsity, every image.
   */
  public static SuiteOptions defaults() {
    return new SuiteOptions("fashion-mnist", "mnist", 32, 0, 0.1, 0.95, true, ALL_SEVERITIES,
        DEFAULT_SPARSITIES, 0, 0, 0, 128, 30, 2);
  }

  /**
   * Returns a quick evaluation for smoke tests: 5,000 training, 1,000 test and 1,000 OOD images, S = 8,
   * severities 1, 3 and 5.
   */
  public static SuiteOptions quick() {
    return defaults().withSamples(8).withLimits(5000, 1000, 1000).withSeverities(List.of(1, 3, 5));
  }

  public SuiteOptions withSamples(int newSamples) {
    return new SuiteOptions(dataset, oodDataset, newSamples, seed, validationFraction,
        targetCoverage, corruptions, severities, sparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  public SuiteOptions withSeed(long newSeed) {
    return new SuiteOptions(dataset, oodDataset, samples, newSeed, validationFraction,
        targetCoverage, corruptions, severities, sparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  public SuiteOptions withLimits(int train, int test, int ood) {
    return new SuiteOptions(dataset, oodDataset, samples, seed, validationFraction,
        targetCoverage, corruptions, severities, sparsities, train, test, ood, batchSize,
        histogramBins, probeThreads);
  }

  public SuiteOptions withSeverities(List<Integer> newSeverities) {
    return new SuiteOptions(dataset, oodDataset, samples, seed, validationFraction,
        targetCoverage, corruptions, newSeverities, sparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  public SuiteOptions withCorruptions(boolean enabled) {
    return new SuiteOptions(dataset, oodDataset, samples, seed, validationFraction,
        targetCoverage, enabled, severities, sparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  public SuiteOptions withTargetCoverage(double coverage) {
    return new SuiteOptions(dataset, oodDataset, samples, seed, validationFraction, coverage,
        corruptions, severities, sparsities, trainLimit, testLimit, oodLimit, batchSize,
        histogramBins, probeThreads);
  }

  public SuiteOptions withOodDataset(String newOodDataset) {
    return new SuiteOptions(dataset, newOodDataset, samples, seed, validationFraction,
        targetCoverage, corruptions, severities, sparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  public SuiteOptions withSparsities(List<Double> newSparsities) {
    return new SuiteOptions(dataset, oodDataset, samples, seed, validationFraction,
        targetCoverage, corruptions, severities, newSparsities, trainLimit, testLimit, oodLimit,
        batchSize, histogramBins, probeThreads);
  }

  /** Returns the options as text, for the evaluation's provenance. */
  public Map<String, String> describe() {
    Map<String, String> description = new LinkedHashMap<>();
    description.put("dataset", dataset);
    description.put("oodDataset", String.valueOf(oodDataset));
    description.put("samples", Integer.toString(samples));
    description.put("seed", Long.toString(seed));
    description.put("validationFraction", Double.toString(validationFraction));
    description.put("targetCoverage", Double.toString(targetCoverage));
    description.put("corruptions", Boolean.toString(corruptions));
    description.put("severities", severities.toString());
    description.put("sparsities", sparsities.toString());
    description.put("trainLimit", Integer.toString(trainLimit));
    description.put("testLimit", Integer.toString(testLimit));
    description.put("oodLimit", Integer.toString(oodLimit));
    return description;
  }
}
