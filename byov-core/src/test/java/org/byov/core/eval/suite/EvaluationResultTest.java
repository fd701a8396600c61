package org.byov.core.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.byov.core.eval.suite.EvaluationResult.AbstainThreshold;
import org.byov.core.eval.suite.EvaluationResult.Calibration;
import org.byov.core.eval.suite.EvaluationResult.CorruptionPoint;
import org.byov.core.eval.suite.EvaluationResult.ProbeSummary;
import org.byov.core.eval.suite.EvaluationResult.Provenance;
import org.byov.core.eval.suite.EvaluationResult.PruningPoint;
import org.byov.core.metrics.MetricValue;
import org.byov.core.metrics.TopLabelCalibration;
import org.junit.jupiter.api.Test;

class EvaluationResultTest {

  @Test
  void rowsAreKeyedAndComplete() {
    EvaluationResult result = result(List.of(0.2, 0.4));

    List<MetricRow> rows = result.rows();

    // 1 probe accuracy + 5 clean calibration + 2 x 5 corruption calibration + 1 pruning point.
    assertThat(rows).hasSize(1 + 5 + 10 + 1);
    assertThat(rows).filteredOn(r -> r.corruption().equals("contrast") && r.severity() == 2
        && r.metric().equals("ece")).singleElement().extracting(MetricRow::value).isEqualTo(0.4);
    assertThat(rows).filteredOn(r -> r.score().equals("snr")).singleElement()
        .extracting(MetricRow::sparsity).isEqualTo(0.9);
    assertThat(rows).allMatch(r -> r.model().equals(EvaluationResult.CANDIDATE));
  }

  @Test
  void baselineRowsCarryBaselineModel() {
    EvaluationResult result = result(List.of(0.2)).withBaseline(result(List.of(0.3)));

    assertThat(result.rows()).filteredOn(r -> r.model().equals(EvaluationResult.BASELINE))
        .hasSize(result(List.of(0.3)).rows().size());
  }

  @Test
  void headlineAveragesCorruptionEce() {
    // Mean of the corruption ECEs 0.2 and 0.4, by hand: 0.3.
    Map<String, Double> headline = result(List.of(0.2, 0.4)).headlineMetrics();

    assertThat(headline.get("meanCorruptionEce")).isCloseTo(0.3, within(1e-12));
    assertThat(headline.get("accuracyAt90.snr")).isEqualTo(0.8);
    assertThat(headline.get("abstainThreshold")).isEqualTo(0.25);
    assertThat(headline.get("abstainTargetCoverage")).isEqualTo(0.95);
    assertThat(headline).doesNotContainKey("oodAuroc");
  }

  @Test
  void noCorruptionsLeavesMeanOut() {
    EvaluationResult result = result(List.of());

    assertThat(result.meanCorruptionEce()).isEmpty();
    assertThat(result.headlineMetrics()).doesNotContainKey("meanCorruptionEce");
  }

  @Test
  void rowWithoutValueNeedsReason() {
    MetricRow undefined = new MetricRow("candidate", "ood", "none", 0, "entropy", 0, "auroc",
        null, "only one class");

    assertThat(undefined.reason()).isEqualTo("only one class");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MetricRow("candidate", "ood",
        "none", 0, "entropy", 0, "auroc", null, null)).hasMessageContaining("auroc");
  }

  @Test
  void histogramSpansBothSets() {
    // Range 0..4 in 4 bins of width 1: in-distribution {0, 1, 1}, OOD {3, 4}; 4 is in the last bin.
    EvaluationResult.Histogram histogram = EvaluationSuite.histogram(new double[] {0, 1, 1},
        new double[] {3, 4}, 4);

    assertThat(histogram.edges()).containsExactly(0, 1, 2, 3, 4);
    assertThat(histogram.inDistribution()).containsExactly(1, 2, 0, 0);
    assertThat(histogram.outOfDistribution()).containsExactly(0, 0, 0, 2);
  }

  private static EvaluationResult result(List<Double> corruptionEces) {
    // Two examples, one correct with confidence 0.8: accuracy 0.5.
    double[][] probabilities = {{0.8, 0.2}, {0.6, 0.4}};
    int[] labels = {0, 1};
    Calibration clean = new Calibration(2, MetricValue.of(0.5), MetricValue.of(0.4),
        MetricValue.of(0.6), TopLabelCalibration.reliability(probabilities, labels));
    List<CorruptionPoint> corruptions = corruptionEces.stream()
        .map(ece -> new CorruptionPoint(ece < 0.3 ? "gaussian_noise" : "contrast", 2,
            new Calibration(2, MetricValue.of(0.5), MetricValue.of(0.4), MetricValue.of(0.6),
                new org.byov.core.metrics.ReliabilityDiagram(List.of(), 2, MetricValue.of(ece),
                    MetricValue.of(ece)))))
        .toList();
    Provenance provenance = new Provenance("/models/a", null, "abc", "byov", "last-1", Map.of(), 0,
        4, "test", Map.of(), "2026-01-01T00:00:00Z", 1.0);
    return new EvaluationResult(provenance, new ProbeSummary("linear-probe", 1e-4, 10, 2, 0.5),
        clean, List.of(), new AbstainThreshold(Scores.MAX_PROBABILITY, 0.25, 0.95, 0.6),
        List.of(), corruptions,
        List.of(new PruningPoint(Scores.SNR, 0.9, MetricValue.of(0.8), Map.of("l", 0.9))),
        List.of(), null, null);
  }
}
