package org.byov.core.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.byov.core.checkpoint.CodeVersion;
import org.byov.core.checkpoint.CorruptCheckpointException;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.eval.suite.EvaluationSuite;
import org.byov.core.eval.suite.SuiteModels;
import org.byov.core.eval.suite.SuiteOptions;
import org.byov.core.metrics.MetricValue;
import org.byov.core.report.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byov eval}: runs the evaluation suite on a model or checkpoint directory, prints the
 * headline table and writes the HTML report with its plots.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a model: calibration, selective prediction, OOD, corruptions,"
        + " pruning; writes an HTML report.")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--checkpoint", required = true,
      description = "Model or checkpoint directory to evaluate.")
  Path checkpoint;

  @Option(names = "--baseline", description = "Model directory to evaluate beside it, for"
      + " example a BYOL run.")
  Path baseline;

  @Option(names = "--align-with", description = "supervised-bbb model directory to compare the"
      + " per-example predictive std with.")
  Path alignWith;

  @Option(names = "--samples", description = "Monte Carlo weight samples S (default:"
      + " ${DEFAULT-VALUE}).")
  int samples = 32;

  @Option(names = "--seed", description = "Seed of the splits, weight samples and corruptions"
      + " (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(names = "--dataset", description = "In-distribution dataset name or directory"
      + " (default: ${DEFAULT-VALUE}).")
  String dataset = "fashion-mnist";

  @Option(names = "--ood-dataset", description = "OOD dataset name or directory, its test split"
      + " (default: ${DEFAULT-VALUE}); 'none' for no OOD evaluation.")
  String oodDataset = "mnist";

  @Option(names = "--data-root", description = "Dataset root (default: $BYOV_DATA_ROOT or"
      + " ~/.byov/datasets).")
  Path dataRoot;

  @Option(names = "--target-coverage", description = "Coverage the abstain threshold is chosen"
      + " for on the validation split, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double targetCoverage = 0.95;

  @Option(names = "--severities", split = ",", description = "Corruption severities, 1 to 5"
      + " (default: all five).")
  List<Integer> severities;

  @Option(names = "--no-corruptions", description = "Skip the corruption evaluation.")
  boolean noCorruptions;

  @Option(names = "--quick", description = "Smoke-test size: 5,000 training, 1,000 test and"
      + " 1,000 OOD images, S = 8, severities 1, 3 and 5, unless set explicitly.")
  boolean quick;

  @Option(names = "--train-limit", description = "Use at most this many training images"
      + " (stratified), 0 for all.")
  Integer trainLimit;

  @Option(names = "--test-limit", description = "Use at most this many test images, 0 for all.")
  Integer testLimit;

  @Option(names = "--ood-limit", description = "Use at most this many OOD images, 0 for all.")
  Integer oodLimit;

  @Option(names = "--threads", description = "Threads of the probe fit (default:"
      + " ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(names = "--out", description = "Report directory (default: <checkpoint>/evaluation).")
  Path out;

  public EvalCommand() {}

  @Override
  public Integer call() throws Exception {
    SuiteOptions options = options();
    DatasetRegistry registry = dataRoot == null ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(dataRoot);
    Path reportDirectory = out != null ? out : checkpoint.resolve("evaluation");
    PrintStream console = System.out;

    try (SuiteModels.Loaded model = SuiteModels.load(checkpoint);
        SuiteModels.Loaded base = baseline == null ? null : SuiteModels.load(baseline);
        SuiteModels.Loaded align = alignWith == null ? null : SuiteModels.load(alignWith)) {
      EvaluationSuite suite = new EvaluationSuite(registry, options, CodeVersion.current());
      long started = System.nanoTime();
      EvaluationResult result = suite.run(model.model(), base == null ? null : base.model(),
          align == null ? null : align.model(), (stage, fraction) -> System.err.printf(
              Locale.ROOT, "%-40s %5.1f%% %7.1f s%n", stage, 100 * fraction,
              (System.nanoTime() - started) / 1e9)).result();
      printTable(console, result);
      EvaluationReport.Files files = EvaluationReport.write(result, reportDirectory);
      console.println("Report: " + files.index().toAbsolutePath());
      return 0;
    } catch (CorruptCheckpointException e) {
      System.err.println("Rejected: " + e.getMessage());
      return 2;
    }
  }

  SuiteOptions options() {
    SuiteOptions options = quick ? SuiteOptions.quick() : SuiteOptions.defaults();
    if (!quick || samples != 32) {
      options = options.withSamples(samples);
    }
    options = options.withSeed(seed).withTargetCoverage(targetCoverage)
        .withCorruptions(!noCorruptions)
        .withOodDataset("none".equalsIgnoreCase(oodDataset) ? null : oodDataset);
    if (severities != null) {
      options = options.withSeverities(severities);
    }
    if (trainLimit != null || testLimit != null || oodLimit != null) {
      options = options.withLimits(trainLimit != null ? trainLimit : options.trainLimit(),
          testLimit != null ? testLimit : options.testLimit(),
          oodLimit != null ? oodLimit : options.oodLimit());
    }
    return new SuiteOptions(dataset, options.oodDataset(), options.samples(), options.seed(),
        options.validationFraction(), options.targetCoverage(), options.corruptions(),
        options.severities(), options.sparsities(), options.trainLimit(), options.testLimit(),
        options.oodLimit(), options.batchSize(), options.histogramBins(), threads);
  }

  /** Prints the headline metrics, the OOD scores and the pruning curve as aligned columns. */
  static void printTable(PrintStream out, EvaluationResult result) {
    EvaluationResult base = result.baseline();
    Map<String, Double> candidate = result.headlineMetrics();
    Map<String, Double> baseline = base == null ? Map.of() : base.headlineMetrics();
    out.printf(Locale.ROOT, "%-34s %12s%s%n", "metric", "candidate",
        base == null ? "" : String.format(Locale.ROOT, " %12s", "baseline"));
    for (String name : candidate.keySet()) {
      out.printf(Locale.ROOT, "%-34s %12s%s%n", name, number(candidate.get(name)),
          base == null ? "" : String.format(Locale.ROOT, " %12s", number(baseline.get(name))));
    }
    out.println();
    out.printf(Locale.ROOT, "%-10s %9s %12s%n", "pruning", "sparsity", "accuracy");
    for (EvaluationResult.PruningPoint p : result.pruning()) {
      out.printf(Locale.ROOT, "%-10s %9.2f %12s%n", p.criterion(), p.sparsity(),
          value(p.accuracy()));
    }
    if (base != null) {
      for (EvaluationResult.PruningPoint p : base.pruning()) {
        out.printf(Locale.ROOT, "%-10s %9.2f %12s%n", "base " + p.criterion(), p.sparsity(),
            value(p.accuracy()));
      }
    }
  }

  private static String number(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String value(MetricValue value) {
    return value.isDefined() ? number(value.orElseThrow()) : "n/a";
  }
}
