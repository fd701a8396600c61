package org.byov.eval.evaluations;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored evaluation as {@code GET /api/v1/evaluations/{id}} returns it: the summary row and
 * every number, read back from the database.
 */
public record EvaluationView(Summary evaluation, List<Metric> metrics, List<Bin> reliabilityBins,
    List<Pruning> pruning, List<Snr> layerSnr, List<Ood> ood) {

  /**
   * The evaluation row: status, provenance, headline metrics and the abstain threshold. {@code
   * baselineModel} and {@code alignWithModel} with their versions name the registered versions
   * that the run spec's model references resolved to; they are null for a model named by run id.
   */
  public record Summary(UUID id, UUID taskId, UUID runId, String status, int attempt,
      String modelDirectory, String manifestSha256, String method, String bayesianScope,
      String baselineDirectory, String baselineManifestSha256, String baselineModel,
      Integer baselineModelVersion, String alignWithDirectory, String alignWithModel,
      Integer alignWithModelVersion, Integer samples, Long seed, String codeVersion,
      Map<String, Object> datasetFingerprints, Map<String, Object> options,
      Map<String, Object> headlineMetrics, Abstain abstainThreshold, String reportUri,
      String error, Instant startedAt, Instant finishedAt, Double durationSeconds) {}

  /** The abstain threshold chosen on the validation split. */
  public record Abstain(String score, double threshold, double targetCoverage,
      double validationAccuracy) {}

  /** One long-form metric row. */
  public record Metric(String model, String split, String corruption, int severity, String score,
      double sparsity, String metric, Double value, String reason) {}

  /** One reliability bin. */
  public record Bin(String model, String corruption, int severity, int index, double lower,
      double upper, int count, Double meanConfidence, Double accuracy) {}

  /** One pruning point. */
  public record Pruning(String model, String criterion, double sparsity, Double accuracy,
      String reason, Map<String, Object> prunedFractionByLayer) {}

  /** SNR summary of one layer. */
  public record Snr(String model, String layer, long weights, double mean, double median,
      double firstQuartile, double thirdQuartile, double min, double max) {}

  /** OOD detection with one score. */
  public record Ood(String model, String score, String oodDataset, int inDistribution,
      int outOfDistribution, Double auroc, Double aupr, Double fprAt95Tpr,
      Map<String, Object> histogram) {}
}
