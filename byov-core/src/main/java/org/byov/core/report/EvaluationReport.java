package org.byov.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationResult.Calibration;
import org.byov.core.eval.suite.EvaluationResult.CorruptionPoint;
import org.byov.core.eval.suite.EvaluationResult.LayerSnr;
import org.byov.core.eval.suite.EvaluationResult.OodScore;
import org.byov.core.eval.suite.EvaluationResult.PruningPoint;
import org.byov.core.eval.suite.EvaluationResult.SelectiveScore;
import org.byov.core.metrics.MetricValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes one evaluation as a self-contained directory: {@code index.html} with the tables and
 * every plot as PNG (embedded in the page) and SVG (linked). A baseline, when present, appears
 * beside the candidate in every table and plot.
 */
public final class EvaluationReport {

  /** The page's file name inside the report directory. */
  public static final String INDEX = "index.html";

  /**
   * The files of a written report.
   *
   * @param index the HTML page
   * @param plots every plot file (PNG and SVG), by file name
   */
  public record Files(Path index, Map<String, Path> plots) {

    public Files {
      plots = Map.copyOf(plots);
    }
  }

  private EvaluationReport() {}

  /** Writes the page and the plots of {@code result} into {@code directory}, created if missing. */
  public static Files write(EvaluationResult result, Path directory) throws IOException {
    System.setProperty("java.awt.headless", "true");
    java.nio.file.Files.createDirectories(directory);
    Map<String, Path> plots = new java.util.LinkedHashMap<>();
    List<String> images = new ArrayList<>();

    save(EvaluationPlots.reliability(result), "reliability", directory, plots, images);
    save(EvaluationPlots.corruption(result, "accuracy", Calibration::accuracy),
        "corruption-accuracy", directory, plots, images);
    save(EvaluationPlots.corruption(result, "ECE", Calibration::ece), "corruption-ece", directory,
        plots, images);
    save(EvaluationPlots.pruning(result), "pruning", directory, plots, images);
    for (OodScore score : result.ood()) {
      save(EvaluationPlots.oodHistogram("OOD", score), "ood-" + score.score(), directory, plots,
          images);
    }
    if (result.baseline() != null) {
      for (OodScore score : result.baseline().ood()) {
        save(EvaluationPlots.oodHistogram("Baseline OOD", score), "baseline-ood-" + score.score(),
            directory, plots, images);
      }
    }

    Path index = directory.resolve(INDEX);
    java.nio.file.Files.writeString(index, html(result, images), StandardCharsets.UTF_8);
    return new Files(index, plots);
  }

  private static void save(Chart<?, ?> chart, String name, Path directory, Map<String, Path> plots,
      List<String> images) throws IOException {
    if (chart == null) {
      return;
    }
    Path png = directory.resolve(name + ".png");
    Path svg = directory.resolve(name + ".svg");
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(),
        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    plots.put(png.getFileName().toString(), png);
    plots.put(svg.getFileName().toString(), svg);
    images.add(name);
  }

  private static String html(EvaluationResult result, List<String> images) {
    EvaluationResult baseline = result.baseline();
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>BYOV evaluation</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:1400px}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append("img{max-width:640px;margin:8px}</style></head><body>\n");
    page.append("<h1>BYOV evaluation</h1>\n");

    provenance(page, result);
    headline(page, result);
    selective(page, "Selective prediction", result);
    ood(page, result);
    corruptions(page, result);
    pruning(page, result);
    layerSnr(page, result);
    alignment(page, result);
    if (baseline != null) {
      selective(page, "Baseline selective prediction", baseline);
    }

    page.append("<h2>Plots</h2>\n<div>");
    for (String image : images) {
      page.append("<figure style=\"display:inline-block\"><img src=\"").append(image)
          .append(".png\" alt=\"").append(escape(image)).append("\"><figcaption><a href=\"")
          .append(image).append(".svg\">").append(escape(image)).append(" (SVG)</a>")
          .append("</figcaption></figure>\n");
    }
    page.append("</div>\n</body></html>\n");
    return page.toString();
  }

  private static void provenance(StringBuilder page, EvaluationResult result) {
    page.append("<h2>Provenance</h2>\n<table>\n");
    row(page, "th", "", "candidate", result.baseline() != null ? "baseline" : null);
    EvaluationResult.Provenance p = result.provenance();
    EvaluationResult.Provenance b = result.baseline() == null ? null
        : result.baseline().provenance();
    row(page, "td", "model directory", p.modelDirectory(), b == null ? null : b.modelDirectory());
    if (p.registeredModel() != null || (b != null && b.registeredModel() != null)) {
      row(page, "td", "registered model", orDash(p.registeredModel()),
          b == null ? null : orDash(b.registeredModel()));
    }
    row(page, "td", "manifest SHA-256", p.manifestSha256(), b == null ? null : b.manifestSha256());
    row(page, "td", "method", p.method(), b == null ? null : b.method());
    row(page, "td", "Bayesian scope", p.bayesianScope(), b == null ? null : b.bayesianScope());
    row(page, "td", "weight samples", Integer.toString(p.samples()),
        b == null ? null : Integer.toString(b.samples()));
    row(page, "td", "seed", Long.toString(p.seed()), b == null ? null : Long.toString(b.seed()));
    row(page, "td", "code version", p.codeVersion(), b == null ? null : b.codeVersion());
    row(page, "td", "started at", p.startedAt(), b == null ? null : b.startedAt());
    row(page, "td", "duration (s)", number(p.durationSeconds()),
        b == null ? null : number(b.durationSeconds()));
    p.datasetFingerprints().forEach((name, hash) -> row(page, "td", "dataset " + name, hash,
        b == null ? null : b.datasetFingerprints().get(name)));
    p.options().forEach((name, value) -> row(page, "td", "option " + name, value,
        b == null ? null : b.options().get(name)));
    page.append("</table>\n");
  }

  private static void headline(StringBuilder page, EvaluationResult result) {
    page.append("<h2>Headline metrics</h2>\n<table>\n");
    row(page, "th", "metric", "candidate", result.baseline() != null ? "baseline" : null);
    Map<String, Double> candidate = result.headlineMetrics();
    Map<String, Double> baseline = result.baseline() == null ? null
        : result.baseline().headlineMetrics();
    Set<String> names = new LinkedHashSet<>(candidate.keySet());
    if (baseline != null) {
      names.addAll(baseline.keySet());
    }
    for (String name : names) {
      row(page, "td", name, number(candidate.get(name)),
          baseline == null ? null : number(baseline.get(name)));
    }
    page.append("</table>\n");
  }

  private static void selective(StringBuilder page, String title, EvaluationResult result) {
    page.append("<h2>").append(escape(title)).append("</h2>\n<p>Threshold chosen on the")
        .append(" validation split for a target coverage of ")
        .append(number(result.abstain().targetCoverage())).append("; abstain score ")
        .append(escape(result.abstain().score())).append(".</p>\n<table>\n");
    row(page, "th", "score", "AURC", "threshold", "validation accuracy", "test coverage",
        "test accuracy");
    for (SelectiveScore s : result.selective()) {
      row(page, "td", s.score(), value(s.aurc()), number(s.threshold()),
          value(s.validationAccuracy()), value(s.testCoverage()), value(s.testAccuracy()));
    }
    page.append("</table>\n");
  }

  private static void ood(StringBuilder page, EvaluationResult result) {
    if (result.ood().isEmpty()) {
      return;
    }
    page.append("<h2>Out-of-distribution detection (OOD positive)</h2>\n<table>\n");
    row(page, "th", "model", "score", "AUROC", "AUPR", "FPR at 95% TPR");
    addOodRows(page, "candidate", result);
    if (result.baseline() != null) {
      addOodRows(page, "baseline", result.baseline());
    }
    page.append("</table>\n");
  }

  private static void addOodRows(StringBuilder page, String model, EvaluationResult result) {
    for (OodScore o : result.ood()) {
      row(page, "td", model, o.score(), value(o.auroc()), value(o.aupr()), value(o.fprAt95Tpr()));
    }
  }

  private static void corruptions(StringBuilder page, EvaluationResult result) {
    if (result.corruptions().isEmpty()) {
      return;
    }
    page.append("<h2>Corruptions</h2>\n<table>\n");
    row(page, "th", "model", "corruption", "severity", "accuracy", "ECE", "Brier", "NLL");
    addCorruptionRows(page, "candidate", result);
    if (result.baseline() != null) {
      addCorruptionRows(page, "baseline", result.baseline());
    }
    page.append("</table>\n");
  }

  private static void addCorruptionRows(StringBuilder page, String model,
      EvaluationResult result) {
    for (CorruptionPoint c : result.corruptions()) {
      Calibration k = c.calibration();
      row(page, "td", model, c.corruption(), Integer.toString(c.severity()), value(k.accuracy()),
          value(k.ece()), value(k.brier()), value(k.nll()));
    }
  }

  private static void pruning(StringBuilder page, EvaluationResult result) {
    if (result.pruning().isEmpty()) {
      return;
    }
    page.append("<h2>Pruning (probe fixed, not retrained)</h2>\n<table>\n");
    row(page, "th", "model", "criterion", "sparsity", "accuracy", "pruned fraction per layer");
    addPruningRows(page, "candidate", result);
    if (result.baseline() != null) {
      addPruningRows(page, "baseline", result.baseline());
    }
    page.append("</table>\n");
  }

  private static void addPruningRows(StringBuilder page, String model, EvaluationResult result) {
    for (PruningPoint p : result.pruning()) {
      StringBuilder layers = new StringBuilder();
      p.prunedFractionByLayer().forEach((layer, fraction) -> layers.append(layer).append(' ')
          .append(number(fraction)).append(' '));
      row(page, "td", model, p.criterion(), number(p.sparsity()), value(p.accuracy()),
          layers.toString().strip());
    }
  }

  private static void layerSnr(StringBuilder page, EvaluationResult result) {
    if (result.layerSnr().isEmpty()) {
      return;
    }
    page.append("<h2>Per-layer SNR |mu| / sigma</h2>\n<table>\n");
    row(page, "th", "layer", "weights", "mean", "median", "first quartile", "third quartile",
        "min", "max");
    for (LayerSnr l : result.layerSnr()) {
      row(page, "td", l.layer(), Long.toString(l.weights()), number(l.mean()), number(l.median()),
          number(l.firstQuartile()), number(l.thirdQuartile()), number(l.min()), number(l.max()));
    }
    page.append("</table>\n");
  }

  private static void alignment(StringBuilder page, EvaluationResult result) {
    EvaluationResult.Alignment a = result.alignment();
    if (a == null) {
      return;
    }
    String reference = a.registeredModel() == null ? a.referenceModel()
        : a.registeredModel() + " (" + a.referenceModel() + ")";
    page.append("<h2>Uncertainty alignment with ").append(escape(reference))
        .append("</h2>\n<table>\n");
    row(page, "th", "examples", "Pearson", "Spearman", "ratio mean", "ratio std");
    row(page, "td", Integer.toString(a.examples()), value(a.pearson()), value(a.spearman()),
        value(a.ratioMean()), value(a.ratioStd()));
    page.append("</table>\n");
  }

  /** Appends one table row; null cells are left out, so a missing baseline adds no column. */
  private static void row(StringBuilder page, String cell, String... values) {
    page.append("<tr>");
    for (String value : values) {
      if (value != null) {
        page.append('<').append(cell).append('>').append(escape(value)).append("</")
            .append(cell).append('>');
      }
    }
    page.append("</tr>\n");
  }

  /** Returns the value, or a dash for a missing one such as the registered name of a directory. */
  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String value(MetricValue value) {
    return value.isDefined() ? number(value.orElseThrow()) : "n/a (" + value.reason() + ")";
  }

  private static String number(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
