package org.byov.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationResult.Calibration;
import org.byov.core.eval.suite.EvaluationResult.CorruptionPoint;
import org.byov.core.eval.suite.EvaluationResult.Histogram;
import org.byov.core.eval.suite.EvaluationResult.OodScore;
import org.byov.core.eval.suite.EvaluationResult.PruningPoint;
import org.byov.core.metrics.MetricValue;
import org.byov.core.metrics.ReliabilityBin;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds the report's charts from an evaluation and, when present, its baseline: the reliability
 * diagram, accuracy and ECE against corruption severity, SNR and magnitude pruning curves, and a
 * histogram of each OOD score.
 */
final class EvaluationPlots {

  static final int WIDTH = 640;
  static final int HEIGHT = 420;

  private EvaluationPlots() {}

  /** Plots accuracy against mean confidence per reliability bin, with the diagonal. */
  static XYChart reliability(EvaluationResult result) {
    XYChart chart = xyChart("Reliability diagram (test set)", "confidence", "accuracy");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(1.0);
    XYSeries diagonal = chart.addSeries("perfect calibration", new double[] {0, 1},
        new double[] {0, 1});
    diagonal.setMarker(SeriesMarkers.NONE);
    addReliability(chart, "candidate", result.test());
    if (result.baseline() != null) {
      addReliability(chart, "baseline", result.baseline().test());
    }
    return chart;
  }

  private static void addReliability(XYChart chart, String name, Calibration calibration) {
    List<Double> confidence = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (ReliabilityBin bin : calibration.reliability().bins()) {
      if (bin.count() > 0) {
        confidence.add(bin.meanConfidence());
        accuracy.add(bin.accuracy());
      }
    }
    if (!confidence.isEmpty()) {
      chart.addSeries(name + " (ECE " + format(calibration.ece()) + ")", confidence, accuracy);
    }
  }

  /**
   * Plots one calibration metric against severity, one series per corruption; severity 0 is the
   * clean test set. Returns null without corruption results.
   */
  static XYChart corruption(EvaluationResult result, String metric,
      Function<Calibration, MetricValue> value) {
    if (result.corruptions().isEmpty()) {
      return null;
    }
    XYChart chart = xyChart(metric + " against corruption severity", "severity", metric);
    addCorruptionSeries(chart, "", result, value);
    if (result.baseline() != null) {
      addCorruptionSeries(chart, "baseline ", result.baseline(), value);
    }
    return chart;
  }

  private static void addCorruptionSeries(XYChart chart, String prefix, EvaluationResult result,
      Function<Calibration, MetricValue> value) {
    Map<String, TreeMap<Integer, Double>> byCorruption = new TreeMap<>();
    for (CorruptionPoint point : result.corruptions()) {
      MetricValue metric = value.apply(point.calibration());
      if (metric.isDefined()) {
        byCorruption.computeIfAbsent(point.corruption(), key -> new TreeMap<>())
            .put(point.severity(), metric.orElseThrow());
      }
    }
    MetricValue clean = value.apply(result.test());
    byCorruption.forEach((corruption, points) -> {
      if (clean.isDefined()) {
        points.put(0, clean.orElseThrow());
      }
      chart.addSeries(prefix + corruption, new ArrayList<>(points.keySet()),
          new ArrayList<>(points.values()));
    });
  }

  /** Plots probe accuracy against sparsity per pruning criterion; null without pruning results. */
  static XYChart pruning(EvaluationResult result) {
    if (result.pruning().isEmpty()) {
      return null;
    }
    XYChart chart = xyChart("Pruning: probe accuracy against sparsity", "sparsity (%)",
        "accuracy");
    addPruningSeries(chart, "", result);
    if (result.baseline() != null) {
      addPruningSeries(chart, "baseline ", result.baseline());
    }
    return chart;
  }

  private static void addPruningSeries(XYChart chart, String prefix, EvaluationResult result) {
    Map<String, TreeMap<Double, Double>> byCriterion = new TreeMap<>();
    for (PruningPoint point : result.pruning()) {
      if (point.accuracy().isDefined()) {
        byCriterion.computeIfAbsent(point.criterion(), key -> new TreeMap<>())
            .put(point.sparsity() * 100, point.accuracy().orElseThrow());
      }
    }
    byCriterion.forEach((criterion, points) -> chart.addSeries(prefix + criterion,
        new ArrayList<>(points.keySet()), new ArrayList<>(points.values())));
  }

  /** Plots the in-distribution and OOD counts of one score over its histogram bins. */
  static CategoryChart oodHistogram(String title, OodScore score) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(title + ": " + score.score() + " (AUROC " + format(score.auroc()) + ")")
        .xAxisTitle(score.score()).yAxisTitle("fraction of examples").build();
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setAvailableSpaceFill(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setXAxisDecimalPattern("0.###");
    Histogram histogram = score.histogram();
    List<Double> centres = new ArrayList<>();
    for (int i = 0; i < histogram.inDistribution().length; i++) {
      centres.add((histogram.edges()[i] + histogram.edges()[i + 1]) / 2);
    }
    chart.addSeries("in-distribution (test)", centres, fractions(histogram.inDistribution()));
    chart.addSeries("OOD (" + score.oodDataset() + ")", centres,
        fractions(histogram.outOfDistribution()));
    return chart;
  }

  private static List<Double> fractions(int[] counts) {
    long total = 0;
    for (int count : counts) {
      total += count;
    }
    List<Double> result = new ArrayList<>();
    for (int count : counts) {
      result.add(total == 0 ? 0.0 : (double) count / total);
    }
    return result;
  }

  private static XYChart xyChart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setMarkerSize(6);
    return chart;
  }

  static String format(MetricValue value) {
    return value.isDefined() ? String.format(java.util.Locale.ROOT, "%.4f", value.orElseThrow())
        : "n/a";
  }
}
