package org.byov.eval.evaluations;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.byov.common.task.ModelArtifact;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationResult.AbstainThreshold;
import org.byov.core.eval.suite.EvaluationResult.CorruptionPoint;
import org.byov.core.eval.suite.EvaluationResult.LayerSnr;
import org.byov.core.eval.suite.EvaluationResult.OodScore;
import org.byov.core.eval.suite.EvaluationResult.Provenance;
import org.byov.core.eval.suite.EvaluationResult.PruningPoint;
import org.byov.core.eval.suite.MetricRow;
import org.byov.core.metrics.ReliabilityBin;
import org.byov.core.metrics.ReliabilityDiagram;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the {@code evaluation} schema. There is one evaluation per EVAL task: a rerun
 * of the task finds the same row by task id, and {@link #saveResult} replaces every number of it
 * in one transaction, so readers see either the old rows or the new ones, never a mix.
 */
@Repository
public class EvaluationStore {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  public EvaluationStore(JdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
  }

  /**
   * Records that the task's evaluation is running and returns its id: a new one for a first
   * attempt, the existing one for a rerun of the task.
   *
   * @param baseline the registered baseline version of the task input, or null
   * @param alignWith the registered alignment version of the task input, or null
   */
  public UUID start(UUID taskId, UUID runId, int attempt, String modelDirectory,
      ModelArtifact baseline, ModelArtifact alignWith) {
    UUID candidate = UUID.randomUUID();
    return jdbc.queryForObject("""
        INSERT INTO evaluations (id, task_id, run_id, status, attempt, model_directory,
            baseline_model_name, baseline_model_version, align_with_model_name,
            align_with_model_version, started_at)
        VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, now())
        ON CONFLICT (task_id) DO UPDATE SET status = 'running', attempt = EXCLUDED.attempt,
            run_id = EXCLUDED.run_id, model_directory = EXCLUDED.model_directory,
            baseline_model_name = EXCLUDED.baseline_model_name,
            baseline_model_version = EXCLUDED.baseline_model_version,
            align_with_model_name = EXCLUDED.align_with_model_name,
            align_with_model_version = EXCLUDED.align_with_model_version,
            error = NULL, started_at = now(), finished_at = NULL
        RETURNING id
        """, UUID.class, candidate, taskId, runId, attempt, modelDirectory,
        baseline == null ? null : baseline.modelName(),
        baseline == null ? null : baseline.modelVersion(),
        alignWith == null ? null : alignWith.modelName(),
        alignWith == null ? null : alignWith.modelVersion());
  }

  /**
   * Replaces every stored number of an evaluation with {@code result} and marks it succeeded, in
   * one transaction.
   *
   * @param reportUri where the rendered report lies, or null
   */
  public void saveResult(UUID evaluationId, EvaluationResult result, String reportUri) {
    transactions.executeWithoutResult(status -> {
      updateEvaluation(evaluationId, result, reportUri);
      for (String table : List.of("metrics", "reliability_bins", "pruning_points", "layer_snr",
          "ood_results")) {
        jdbc.update("DELETE FROM " + table + " WHERE evaluation_id = ?", evaluationId);
      }
      insertMetrics(evaluationId, result.rows());
      insertDetails(evaluationId, EvaluationResult.CANDIDATE, result);
      if (result.baseline() != null) {
        insertDetails(evaluationId, EvaluationResult.BASELINE, result.baseline());
      }
    });
  }

  /** Marks an evaluation failed with {@code error}, keeping the numbers of an earlier success. */
  public void markFailed(UUID evaluationId, String error) {
    jdbc.update("UPDATE evaluations SET status = 'failed', error = ?, finished_at = now()"
        + " WHERE id = ?", error, evaluationId);
  }

  private void updateEvaluation(UUID id, EvaluationResult result, String reportUri) {
    Provenance p = result.provenance();
    Provenance b = result.baseline() == null ? null : result.baseline().provenance();
    AbstainThreshold abstain = result.abstain();
    int updated = jdbc.update("""
        UPDATE evaluations SET status = 'succeeded', manifest_sha256 = ?, method = ?,
            bayesian_scope = ?, baseline_directory = ?, baseline_manifest_sha256 = ?,
            align_with_directory = ?, samples = ?, seed = ?, code_version = ?,
            dataset_fingerprints = ?::jsonb, options = ?::jsonb, headline_metrics = ?::jsonb,
            abstain_score = ?, abstain_threshold = ?, abstain_target_coverage = ?,
            abstain_validation_accuracy = ?, report_uri = ?, error = NULL, finished_at = now(),
            duration_seconds = ?
        WHERE id = ?
        """,
        p.manifestSha256(), p.method(), p.bayesianScope(),
        b == null ? null : b.modelDirectory(), b == null ? null : b.manifestSha256(),
        result.alignment() == null ? null : result.alignment().referenceModel(),
        p.samples(), p.seed(), p.codeVersion(),
        json.writeValueAsString(p.datasetFingerprints()), json.writeValueAsString(p.options()),
        json.writeValueAsString(result.headlineMetrics()),
        abstain.score(), abstain.threshold(), abstain.targetCoverage(),
        abstain.validationAccuracy(), reportUri, p.durationSeconds(), id);
    if (updated != 1) {
      throw new IllegalStateException("Evaluation " + id + " not found; call start() first");
    }
  }

  private void insertMetrics(UUID id, List<MetricRow> rows) {
    jdbc.batchUpdate("""
        INSERT INTO metrics (evaluation_id, model, split, corruption, severity, score, sparsity,
            metric, value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, rows, 500, (statement, row) -> {
          statement.setObject(1, id);
          statement.setString(2, row.model());
          statement.setString(3, row.split());
          statement.setString(4, row.corruption());
          statement.setInt(5, row.severity());
          statement.setString(6, row.score());
          statement.setDouble(7, row.sparsity());
          statement.setString(8, row.metric());
          statement.setObject(9, row.value());
          statement.setString(10, row.reason());
        });
  }

  private void insertDetails(UUID id, String model, EvaluationResult result) {
    List<Object[]> bins = new ArrayList<>();
    addBins(bins, id, model, MetricRow.NONE, 0, result.test().reliability());
    for (CorruptionPoint c : result.corruptions()) {
      addBins(bins, id, model, c.corruption(), c.severity(), c.calibration().reliability());
    }
    jdbc.batchUpdate("""
        INSERT INTO reliability_bins (evaluation_id, model, corruption, severity, bin_index,
            lower_edge, upper_edge, count, mean_confidence, accuracy)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, bins);

    List<Object[]> pruning = new ArrayList<>();
    for (PruningPoint p : result.pruning()) {
      pruning.add(new Object[] {id, model, p.criterion(), p.sparsity(), p.accuracy().value(),
          p.accuracy().reason(), json.writeValueAsString(p.prunedFractionByLayer())});
    }
    jdbc.batchUpdate("""
        INSERT INTO pruning_points (evaluation_id, model, criterion, sparsity, accuracy, reason,
            pruned_fraction_by_layer) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
        """, pruning);

    List<Object[]> snr = new ArrayList<>();
    for (LayerSnr l : result.layerSnr()) {
      snr.add(new Object[] {id, model, l.layer(), l.weights(), l.mean(), l.median(),
          l.firstQuartile(), l.thirdQuartile(), l.min(), l.max()});
    }
    jdbc.batchUpdate("""
        INSERT INTO layer_snr (evaluation_id, model, layer, weights, mean, median, first_quartile,
            third_quartile, min, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, snr);

    List<Object[]> ood = new ArrayList<>();
    for (OodScore o : result.ood()) {
      Map<String, Object> histogram = new LinkedHashMap<>();
      histogram.put("edges", o.histogram().edges());
      histogram.put("inDistribution", o.histogram().inDistribution());
      histogram.put("outOfDistribution", o.histogram().outOfDistribution());
      ood.add(new Object[] {id, model, o.score(), o.oodDataset(), o.inDistribution(),
          o.outOfDistribution(), o.auroc().value(), o.aupr().value(), o.fprAt95Tpr().value(),
          json.writeValueAsString(histogram)});
    }
    jdbc.batchUpdate("""
        INSERT INTO ood_results (evaluation_id, model, score, ood_dataset, in_distribution,
            out_of_distribution, auroc, aupr, fpr_at_95_tpr, histogram)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
        """, ood);
  }

  private static void addBins(List<Object[]> bins, UUID id, String model, String corruption,
      int severity, ReliabilityDiagram diagram) {
    for (ReliabilityBin bin : diagram.bins()) {
      bins.add(new Object[] {id, model, corruption, severity, bin.index(), bin.lower(),
          bin.upper(), bin.count(), bin.meanConfidence(), bin.accuracy()});
    }
  }

  /** Returns the stored evaluation with every number, or empty when the id is unknown. */
  public Optional<EvaluationView> find(UUID id) {
    List<EvaluationView.Summary> summaries = jdbc.query("""
        SELECT id, task_id, run_id, status, attempt, model_directory, manifest_sha256, method,
            bayesian_scope, baseline_directory, baseline_manifest_sha256, baseline_model_name,
            baseline_model_version, align_with_directory, align_with_model_name,
            align_with_model_version, samples, seed, code_version,
            dataset_fingerprints::text AS fingerprints, options::text AS options,
            headline_metrics::text AS headline, abstain_score, abstain_threshold,
            abstain_target_coverage, abstain_validation_accuracy, report_uri, error, started_at,
            finished_at, duration_seconds
        FROM evaluations WHERE id = ?
        """, (rs, rowNumber) -> new EvaluationView.Summary(
            rs.getObject("id", UUID.class), rs.getObject("task_id", UUID.class),
            rs.getObject("run_id", UUID.class), rs.getString("status"), rs.getInt("attempt"),
            rs.getString("model_directory"), rs.getString("manifest_sha256"),
            rs.getString("method"), rs.getString("bayesian_scope"),
            rs.getString("baseline_directory"), rs.getString("baseline_manifest_sha256"),
            rs.getString("baseline_model_name"), (Integer) rs.getObject("baseline_model_version"),
            rs.getString("align_with_directory"), rs.getString("align_with_model_name"),
            (Integer) rs.getObject("align_with_model_version"), (Integer) rs.getObject("samples"),
            (Long) rs.getObject("seed"), rs.getString("code_version"),
            readMap(rs.getString("fingerprints")), readMap(rs.getString("options")),
            readMap(rs.getString("headline")),
            rs.getString("abstain_score") == null ? null : new EvaluationView.Abstain(
                rs.getString("abstain_score"), rs.getDouble("abstain_threshold"),
                rs.getDouble("abstain_target_coverage"),
                rs.getDouble("abstain_validation_accuracy")),
            rs.getString("report_uri"), rs.getString("error"),
            instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
            (Double) rs.getObject("duration_seconds")), id);
    if (summaries.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EvaluationView(summaries.get(0), metrics(id), reliability(id),
        pruningPoints(id), layerSnr(id), oodResults(id)));
  }

  private List<EvaluationView.Metric> metrics(UUID id) {
    return jdbc.query("""
        SELECT model, split, corruption, severity, score, sparsity, metric, value, reason
        FROM metrics WHERE evaluation_id = ?
        ORDER BY model, split, corruption, severity, score, sparsity, metric
        """, (rs, n) -> new EvaluationView.Metric(rs.getString("model"), rs.getString("split"),
            rs.getString("corruption"), rs.getInt("severity"), rs.getString("score"),
            rs.getDouble("sparsity"), rs.getString("metric"), (Double) rs.getObject("value"),
            rs.getString("reason")), id);
  }

  private List<EvaluationView.Bin> reliability(UUID id) {
    return jdbc.query("""
        SELECT model, corruption, severity, bin_index, lower_edge, upper_edge, count,
            mean_confidence, accuracy
        FROM reliability_bins WHERE evaluation_id = ?
        ORDER BY model, corruption, severity, bin_index
        """, (rs, n) -> new EvaluationView.Bin(rs.getString("model"), rs.getString("corruption"),
            rs.getInt("severity"), rs.getInt("bin_index"), rs.getDouble("lower_edge"),
            rs.getDouble("upper_edge"), rs.getInt("count"),
            (Double) rs.getObject("mean_confidence"), (Double) rs.getObject("accuracy")), id);
  }

  private List<EvaluationView.Pruning> pruningPoints(UUID id) {
    return jdbc.query("""
        SELECT model, criterion, sparsity, accuracy, reason, pruned_fraction_by_layer::text AS f
        FROM pruning_points WHERE evaluation_id = ? ORDER BY model, criterion, sparsity
        """, (rs, n) -> new EvaluationView.Pruning(rs.getString("model"),
            rs.getString("criterion"), rs.getDouble("sparsity"), (Double) rs.getObject("accuracy"),
            rs.getString("reason"), readMap(rs.getString("f"))), id);
  }

  private List<EvaluationView.Snr> layerSnr(UUID id) {
    return jdbc.query("""
        SELECT model, layer, weights, mean, median, first_quartile, third_quartile, min, max
        FROM layer_snr WHERE evaluation_id = ? ORDER BY model, layer
        """, (rs, n) -> new EvaluationView.Snr(rs.getString("model"), rs.getString("layer"),
            rs.getLong("weights"), rs.getDouble("mean"), rs.getDouble("median"),
            rs.getDouble("first_quartile"), rs.getDouble("third_quartile"), rs.getDouble("min"),
            rs.getDouble("max")), id);
  }

  private List<EvaluationView.Ood> oodResults(UUID id) {
    return jdbc.query("""
        SELECT model, score, ood_dataset, in_distribution, out_of_distribution, auroc, aupr,
            fpr_at_95_tpr, histogram::text AS h
        FROM ood_results WHERE evaluation_id = ? ORDER BY model, score
        """, (rs, n) -> new EvaluationView.Ood(rs.getString("model"), rs.getString("score"),
            rs.getString("ood_dataset"), rs.getInt("in_distribution"),
            rs.getInt("out_of_distribution"), (Double) rs.getObject("auroc"),
            (Double) rs.getObject("aupr"), (Double) rs.getObject("fpr_at_95_tpr"),
            readMap(rs.getString("h"))), id);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> readMap(String text) {
    return text == null ? null : json.readValue(text, LinkedHashMap.class);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
