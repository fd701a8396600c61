package org.byov.core.eval.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.byov.core.metrics.MetricValue;
import org.byov.core.metrics.ReliabilityDiagram;

/**
 * Everything one evaluation of a model measured, with its provenance. {@link #rows()} flattens
 * the numbers into long-form {@link MetricRow}s keyed by (model, split, corruption, severity,
 * score, sparsity, metric).
 *
 * @param provenance what was evaluated and how
 * @param probe the linear probe (or classifier) that turns embeddings into predictions
 * @param test calibration of the clean test set
 * @param selective risk-coverage results per uncertainty score
 * @param abstain the abstain threshold chosen on the validation split
 * @param ood out-of-distribution detection per uncertainty score, empty without an OOD set
 * @param corruptions calibration per corruption and severity
 * @param pruning probe accuracy per pruning criterion and sparsity
 * @param layerSnr SNR summary of each Bayesian layer, empty for a deterministic model
 * @param alignment uncertainty alignment with a supervised-bbb model, or null
 * @param baseline the same suite run on the baseline model, or null
 */
public record EvaluationResult(
    Provenance provenance,
    ProbeSummary probe,
    Calibration test,
    List<SelectiveScore> selective,
    AbstainThreshold abstain,
    List<OodScore> ood,
    List<CorruptionPoint> corruptions,
    List<PruningPoint> pruning,
    List<LayerSnr> layerSnr,
    Alignment alignment,
    EvaluationResult baseline) {

  public static final String CANDIDATE = "candidate";
  public static final String BASELINE = "baseline";

  public static final String SPLIT_VALIDATION = "validation";
  public static final String SPLIT_TEST = "test";
  public static final String SPLIT_OOD = "ood";

  /**
   * Provenance of an evaluation.
   *
   * @param modelDirectory the evaluated model or checkpoint directory
   * @param registeredModel the registered version evaluated, {@code name:version}, or null when
   *     the model was given by directory or run id
   * @param manifestSha256 SHA-256 (hex) of its manifest file
   * @param method training method: {@code byov}, {@code byol} or {@code supervised-bbb}
   * @param bayesianScope the model's Bayesian scope, for example {@code last-1}
   * @param datasetFingerprints SHA-256 fingerprint of each dataset used, by dataset split name
   * @param seed seed of the splits, weight samples and corruptions
   * @param samples Monte Carlo weight samples S
   * @param codeVersion version of the code that ran the evaluation
   * @param options the suite options, as text, for the record
   * @param startedAt ISO-8601 UTC start time
   * @param durationSeconds wall-clock duration of the suite
   */
  public record Provenance(String modelDirectory, String registeredModel, String manifestSha256,
      String method, String bayesianScope, Map<String, String> datasetFingerprints, long seed,
      int samples, String codeVersion, Map<String, String> options, String startedAt,
      double durationSeconds) {

    public Provenance {
      datasetFingerprints = Map.copyOf(datasetFingerprints);
      options = Map.copyOf(options);
    }
  }

  /**
   * The head that turns embeddings into class probabilities.
   *
   * @param kind {@code linear-probe} or {@code classifier}
   * @param l2 L2 strength chosen on the validation split, or null for a classifier
   * @param trainingExamples examples the probe was fitted on
   * @param validationExamples held-out examples for the probe's strength and the threshold
   * @param validationAccuracy accuracy on the held-out validation split
   */
  public record ProbeSummary(String kind, Double l2, int trainingExamples, int validationExamples,
      double validationAccuracy) {}

  /**
   * Calibration of one set of predictions.
   *
   * @param examples number of examples
   * @param reliability reliability bins with ECE and MCE (top-label, 15 bins)
   */
  public record Calibration(int examples, MetricValue accuracy, MetricValue brier,
      MetricValue nll, ReliabilityDiagram reliability) {

    public MetricValue ece() {
      return reliability.expectedCalibrationError();
    }

    public MetricValue mce() {
      return reliability.maximumCalibrationError();
    }
  }

  /**
   * Selective prediction with one uncertainty score: abstain on the most uncertain examples.
   *
   * @param score score name
   * @param aurc area under the test risk-coverage curve
   * @param threshold score threshold chosen on the validation split for the target coverage;
   *     examples with a score at most the threshold are kept
   * @param validationAccuracy validation accuracy of the kept examples
   * @param testCoverage fraction of test examples kept by the threshold
   * @param testAccuracy test accuracy of the kept examples
   * @param curve test risk-coverage points (coverage, risk), sub-sampled for plotting
   */
  public record SelectiveScore(String score, MetricValue aurc, double threshold,
      MetricValue validationAccuracy, MetricValue testCoverage, MetricValue testAccuracy,
      List<double[]> curve) {

    public SelectiveScore {
      curve = List.copyOf(curve);
    }
  }

  /**
   * The threshold a serving model abstains above, chosen on the validation split.
   *
   * @param score the score it applies to (max probability by default, as 1 - max p)
   * @param threshold keep an example when its score is at most this
   * @param targetCoverage coverage the threshold was chosen for
   * @param validationAccuracy validation accuracy at that coverage
   */
  public record AbstainThreshold(String score, double threshold, double targetCoverage,
      double validationAccuracy) {}

  /**
   * OOD detection with one score, OOD being the positive class.
   *
   * @param histogram shared bin edges and the in-distribution and OOD counts, for the report
   */
  public record OodScore(String score, String oodDataset, int inDistribution, int outOfDistribution,
      MetricValue auroc, MetricValue aupr, MetricValue fprAt95Tpr, Histogram histogram) {}

  /**
   * Score counts of the in-distribution and OOD examples over shared equal-width bins.
   *
   * @param edges bin edges, one more than the counts
   */
  public record Histogram(double[] edges, int[] inDistribution, int[] outOfDistribution) {}

  /** Calibration of the test set under one corruption at one severity (1 to 5). */
  public record CorruptionPoint(String corruption, int severity, Calibration calibration) {}

  /**
   * Probe accuracy on the test set with a fraction of the weights pruned.
   *
   * @param criterion {@code snr} or {@code magnitude}
   * @param sparsity requested fraction of pruned weights, globally over the pruned layers
   * @param accuracy test accuracy of the fixed probe
   * @param prunedFractionByLayer the fraction actually pruned in each layer
   */
  public record PruningPoint(String criterion, double sparsity, MetricValue accuracy,
      Map<String, Double> prunedFractionByLayer) {

    public PruningPoint {
      prunedFractionByLayer = Map.copyOf(prunedFractionByLayer);
    }
  }

  /** Summary of one Bayesian layer's per-weight SNR |mu| / sigma. */
  public record LayerSnr(String layer, long weights, double mean, double median,
      double firstQuartile, double thirdQuartile, double min, double max) {}

  /**
   * Alignment of the per-example predictive standard deviation with a supervised-bbb model.
   *
   * @param referenceModel directory of the supervised-bbb model
   * @param registeredModel its registered version, {@code name:version}, or null when it was
   *     given by directory or run id
   * @param ratioMean mean of the Gaussian fit of candidate std / reference std
   * @param ratioStd standard deviation of that fit
   */
  public record Alignment(String referenceModel, String registeredModel, int examples,
      MetricValue pearson, MetricValue spearman, MetricValue ratioMean, MetricValue ratioStd) {}

  /** Returns a copy with {@code newBaseline} beside this result. */
  public EvaluationResult withBaseline(EvaluationResult newBaseline) {
    return new EvaluationResult(provenance, probe, test, selective, abstain, ood, corruptions,
        pruning, layerSnr, alignment, newBaseline);
  }

  /**
   * Returns the headline metrics that an EVAL task reports: {@code probeAccuracy}, {@code ece},
   * {@code brier}, {@code nll}, {@code meanCorruptionEce}, {@code oodAuroc} (max probability)
   * and {@code oodAuroc.<score>} for each score, {@code accuracyAt90.<criterion>} for each pruning
   * criterion, and the abstain threshold's {@code abstainThreshold},
   * {@code abstainTargetCoverage} and {@code abstainValidationAccuracy}. Undefined metrics are
   * left out.
   */
  public Map<String, Double> headlineMetrics() {
    Map<String, Double> headline = new java.util.LinkedHashMap<>();
    putDefined(headline, "probeAccuracy", test.accuracy());
    putDefined(headline, "ece", test.ece());
    putDefined(headline, "brier", test.brier());
    putDefined(headline, "nll", test.nll());
    meanCorruptionEce().ifPresent(value -> headline.put("meanCorruptionEce", value));
    for (OodScore o : ood) {
      putDefined(headline, "oodAuroc." + o.score(), o.auroc());
      if (o.score().equals(Scores.MAX_PROBABILITY)) {
        putDefined(headline, "oodAuroc", o.auroc());
      }
    }
    for (PruningPoint p : pruning) {
      if (p.sparsity() == 0.9) {
        putDefined(headline, "accuracyAt90." + p.criterion(), p.accuracy());
      }
    }
    if (alignment != null) {
      putDefined(headline, "alignment.pearson", alignment.pearson());
      putDefined(headline, "alignment.spearman", alignment.spearman());
    }
    headline.put("abstainThreshold", abstain.threshold());
    headline.put("abstainTargetCoverage", abstain.targetCoverage());
    headline.put("abstainValidationAccuracy", abstain.validationAccuracy());
    return headline;
  }

  /** Returns the mean ECE over every corruption and severity, or empty without corruptions. */
  public java.util.OptionalDouble meanCorruptionEce() {
    return corruptions.stream()
        .map(c -> c.calibration().ece())
        .filter(MetricValue::isDefined)
        .mapToDouble(MetricValue::orElseThrow)
        .average();
  }

  private static void putDefined(Map<String, Double> target, String name, MetricValue value) {
    if (value.isDefined()) {
      target.put(name, value.orElseThrow());
    }
  }

  /** Flattens every number, the baseline's included, into long-form rows. */
  public List<MetricRow> rows() {
    List<MetricRow> rows = new ArrayList<>();
    addRows(CANDIDATE, rows);
    if (baseline != null) {
      baseline.addRows(BASELINE, rows);
    }
    return rows;
  }

  private void addRows(String model, List<MetricRow> rows) {
    RowWriter writer = new RowWriter(model, rows);
    writer.value(SPLIT_VALIDATION, MetricRow.NONE, 0, MetricRow.NONE, 0, "probe-accuracy",
        MetricValue.of(probe.validationAccuracy()));
    writer.calibration(SPLIT_TEST, MetricRow.NONE, 0, test);

    for (SelectiveScore s : selective) {
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, s.score(), 0, "aurc", s.aurc());
      writer.value(SPLIT_VALIDATION, MetricRow.NONE, 0, s.score(), 0, "abstain-threshold",
          MetricValue.of(s.threshold()));
      writer.value(SPLIT_VALIDATION, MetricRow.NONE, 0, s.score(), 0, "accuracy-at-coverage",
          s.validationAccuracy());
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, s.score(), 0, "coverage-at-threshold",
          s.testCoverage());
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, s.score(), 0, "accuracy-at-threshold",
          s.testAccuracy());
    }

    for (OodScore o : ood) {
      writer.value(SPLIT_OOD, MetricRow.NONE, 0, o.score(), 0, "auroc", o.auroc());
      writer.value(SPLIT_OOD, MetricRow.NONE, 0, o.score(), 0, "aupr", o.aupr());
      writer.value(SPLIT_OOD, MetricRow.NONE, 0, o.score(), 0, "fpr-at-95-tpr", o.fprAt95Tpr());
    }

    for (CorruptionPoint c : corruptions) {
      writer.calibration(SPLIT_TEST, c.corruption(), c.severity(), c.calibration());
    }

    for (PruningPoint p : pruning) {
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, p.criterion(), p.sparsity(), "accuracy",
          p.accuracy());
    }

    if (alignment != null) {
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, "predictive-std", 0, "alignment-pearson",
          alignment.pearson());
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, "predictive-std", 0, "alignment-spearman",
          alignment.spearman());
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, "predictive-std", 0, "alignment-ratio-mean",
          alignment.ratioMean());
      writer.value(SPLIT_TEST, MetricRow.NONE, 0, "predictive-std", 0, "alignment-ratio-std",
          alignment.ratioStd());
    }
  }

  /** Appends rows of one model. */
  private record RowWriter(String model, List<MetricRow> rows) {

    void value(String split, String corruption, int severity, String score, double sparsity,
        String metric, MetricValue value) {
      rows.add(new MetricRow(model, split, corruption, severity, score, sparsity, metric,
          value.value(), value.reason()));
    }

    void calibration(String split, String corruption, int severity, Calibration calibration) {
      value(split, corruption, severity, MetricRow.NONE, 0, "accuracy", calibration.accuracy());
      value(split, corruption, severity, MetricRow.NONE, 0, "ece", calibration.ece());
      value(split, corruption, severity, MetricRow.NONE, 0, "mce", calibration.mce());
      value(split, corruption, severity, MetricRow.NONE, 0, "brier", calibration.brier());
      value(split, corruption, severity, MetricRow.NONE, 0, "nll", calibration.nll());
    }
  }
}
