package org.byov.core.eval.suite;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.ImageSet;
import org.byov.core.eval.GlobalPruning;
import org.byov.core.eval.SelectivePrediction;
import org.byov.core.eval.SnrSummary;
import org.byov.core.eval.UncertaintyAlignment;
import org.byov.core.eval.montecarlo.ImageSource;
import org.byov.core.eval.montecarlo.MonteCarloEmbeddings;
import org.byov.core.eval.montecarlo.MonteCarloPrediction;
import org.byov.core.eval.montecarlo.MonteCarloPredictor;
import org.byov.core.eval.montecarlo.PredictionHead;
import org.byov.core.eval.montecarlo.TrunkFeatures;
import org.byov.core.eval.suite.EvaluationResult.AbstainThreshold;
import org.byov.core.eval.suite.EvaluationResult.Alignment;
import org.byov.core.eval.suite.EvaluationResult.Calibration;
import org.byov.core.eval.suite.EvaluationResult.CorruptionPoint;
import org.byov.core.eval.suite.EvaluationResult.LayerSnr;
import org.byov.core.eval.suite.EvaluationResult.OodScore;
import org.byov.core.eval.suite.EvaluationResult.ProbeSummary;
import org.byov.core.eval.suite.EvaluationResult.Provenance;
import org.byov.core.eval.suite.EvaluationResult.PruningPoint;
import org.byov.core.eval.suite.EvaluationResult.SelectiveScore;
import org.byov.core.metrics.ClassificationMetrics;
import org.byov.core.metrics.OodMetrics;
import org.byov.core.metrics.TopLabelCalibration;
import org.byov.core.probe.LinearProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole evaluation of a model: a linear probe on Monte Carlo mean embeddings of the
 * training set, calibration of the test set, selective prediction with a threshold chosen on the
 * validation split, OOD detection, corruptions, SNR and magnitude pruning with the probe fixed,
 * and, when given, uncertainty alignment with a supervised-bbb model and the same suite on a
 * baseline.
 *
 * <p>The test set's trunk features are computed once and reused by every score and pruning level
 * whose pruned layers lie in the tail; corrupted and OOD inputs run the trunk again.
 *
 * <p>The suite keeps no state between calls: what one evaluation produced, the fitted probe
 * included, comes back in its {@link Outcome}. A call is not thread-safe with another call on the
 * same model, because it prunes the model's parameters in place (and restores them).
 */
public final class EvaluationSuite {

  private static final Logger log = LoggerFactory.getLogger(EvaluationSuite.class);

  /** Receives progress: a stage name and the fraction of the whole suite done, 0 to 1. */
  @FunctionalInterface
  public interface Progress {
    /** Called between stages; throwing from here aborts the suite. */
    void update(String stage, double fraction);

    Progress NONE = (stage, fraction) -> { };
  }

  private final DatasetRegistry registry;
  private final SuiteOptions options;
  private final String codeVersion;

  /**
   * The outcome of one {@link #run}.
   *
   * @param result every number, the baseline's included
   * @param candidateProbe the linear probe fitted on the evaluated model's mean embeddings, so
   *     that a service can store it as the model's prediction head. It is null for a model that
   *     predicts with its own classifier.
   */
  public record Outcome(EvaluationResult result, LinearProbe candidateProbe) {}

  /**
   * @param codeVersion version of the code running the evaluation, for provenance
   */
  public EvaluationSuite(DatasetRegistry registry, SuiteOptions options, String codeVersion) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.options = Objects.requireNonNull(options, "options");
    this.codeVersion = codeVersion == null ? "unknown" : codeVersion;
  }

  /**
   * Evaluates {@code model}, and {@code baseline} beside it when not null, and aligns its
   * uncertainty with {@code alignWith} when not null.
   */
  public Outcome run(SuiteModel model, SuiteModel baseline, SuiteModel alignWith,
      Progress progress) throws IOException {
    SuiteData data = SuiteData.load(registry, options);
    log.info("Evaluating {} on {} training, {} validation, {} test and {} OOD images, S = {}",
        model.directory(), data.train().count(), data.validation().count(), data.test().count(),
        data.ood() == null ? 0 : data.ood().count(), options.samples());
    double share = baseline == null ? 1.0 : 0.5;
    Evaluated candidate = evaluate(model, alignWith, data, scaled(progress, 0, share));
    if (baseline == null) {
      return new Outcome(candidate.result(), candidate.probe());
    }
    Evaluated base = evaluate(baseline, null, data, scaled(progress, 0.5, 0.5));
    return new Outcome(candidate.result().withBaseline(base.result()), candidate.probe());
  }

  private static Progress scaled(Progress progress, double offset, double share) {
    return (stage, fraction) -> progress.update(stage, offset + share * fraction);
  }

  /** One model's result and its fitted linear probe, null for a classifier head. */
  private record Evaluated(EvaluationResult result, LinearProbe probe) {}

  private Evaluated evaluate(SuiteModel model, SuiteModel alignWith, SuiteData data,
      Progress progress) {
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    MonteCarloPredictor predictor = new MonteCarloPredictor(model.network().encoder(),
        new MonteCarloPredictor.Options(options.samples(), options.seed(), options.batchSize()));

    try (NDManager manager = NDManager.newBaseManager()) {
      progress.update("probe", 0.0);
      TrunkFeatures validationFeatures = predictor.trunk(manager, images(data.validation(), model));
      Probe probe = fitProbe(manager, predictor, model, data, validationFeatures);
      MonteCarloPrediction validation = predictor.predict(manager, validationFeatures, probe.head(),
          false);

      progress.update("test", 0.15);
      TrunkFeatures testFeatures = predictor.trunk(manager, images(data.test(), model));
      MonteCarloPrediction test = predictor.predict(manager, testFeatures, probe.head(), false);
      Calibration calibration = calibration(test, data.test().labels());

      List<SelectiveScore> selective = selective(validation, data.validation().labels(), test,
          data.test().labels());
      SelectiveScore defaultScore = selective.get(0);
      AbstainThreshold abstain = new AbstainThreshold(defaultScore.score(),
          defaultScore.threshold(), options.targetCoverage(),
          defaultScore.validationAccuracy().isDefined()
              ? defaultScore.validationAccuracy().orElseThrow() : 0.0);

      progress.update("ood", 0.25);
      List<OodScore> ood = new ArrayList<>();
      if (data.ood() != null) {
        MonteCarloPrediction oodPrediction = predictor.predict(manager,
            predictor.trunk(manager, images(data.ood(), model)), probe.head(), false);
        ood = ood(test, oodPrediction);
      }

      List<CorruptionPoint> corruptions = corruptions(manager, predictor, model, data.test(),
          probe.head(), scaled(progress, 0.3, 0.5));

      progress.update("pruning", 0.8);
      ModelPruner pruner = new ModelPruner(model.network());
      List<PruningPoint> pruning = pruning(manager, predictor, model, pruner, testFeatures,
          data.test(), probe.head());
      List<LayerSnr> layerSnr = pruner.isBayesian() ? layerSnr(pruner) : List.of();

      progress.update("alignment", 0.95);
      Alignment alignment = alignWith == null ? null
          : align(manager, model, test, alignWith, data.test());

      double seconds = (System.nanoTime() - started) / 1e9;
      Provenance provenance = new Provenance(model.directory(), model.registeredModel(),
          model.manifestSha256(), model.method(), model.network().layout().scope().toString(),
          data.fingerprints(), options.seed(), options.samples(), codeVersion,
          options.describe(), startedAt.toString(), seconds);
      progress.update("done", 1.0);
      log.info("Evaluated {} in {} s: test accuracy {}, ECE {}", model.directory(),
          Math.round(seconds), calibration.accuracy().value(), calibration.ece().value());
      return new Evaluated(new EvaluationResult(provenance, probe.summary(), calibration,
          selective, abstain, ood, corruptions, pruning, layerSnr, alignment, null),
          probe.fitted());
    }
  }

  /**
   * The head that scores embeddings, how it was fitted, and the fitted linear probe (null for a
   * classifier head).
   */
  private record Probe(PredictionHead head, ProbeSummary summary, LinearProbe fitted) {}

  private Probe fitProbe(NDManager manager, MonteCarloPredictor predictor, SuiteModel model,
      SuiteData data, TrunkFeatures validationFeatures) {
    int classes = data.train().classCount();
    if (model.hasClassifier()) {
      PredictionHead head = PredictionHead.classifier(model.network().classifier(), classes);
      MonteCarloPrediction validation = predictor.predict(manager, validationFeatures, head, false);
      double accuracy = ClassificationMetrics.accuracy(validation.meanProbabilities(),
          data.validation().labels()).orElseThrow();
      return new Probe(head, new ProbeSummary("classifier", null, 0, data.validation().count(),
          accuracy), null);
    }

    MonteCarloEmbeddings train = predictor.embed(manager,
        predictor.trunk(manager, images(data.train(), model)));
    MonteCarloEmbeddings validation = predictor.embed(manager, validationFeatures);
    LinearProbe probe = LinearProbe.train(train.mean(), data.train().labels(), classes,
        LinearProbe.Options.defaults().withSeed(options.seed())
            .withThreads(options.probeThreads()));
    double accuracy = probe.accuracy(validation.mean(), data.validation().labels());
    return new Probe(PredictionHead.linear(probe.weights(), probe.bias()),
        new ProbeSummary("linear-probe", probe.l2(), data.train().count(),
            data.validation().count(), accuracy), probe);
  }

  private static ImageSource images(ImageSet set, SuiteModel model) {
    return ImageSource.of(set, model.mean(), model.std());
  }

  static Calibration calibration(MonteCarloPrediction prediction, int[] labels) {
    double[][] p = prediction.meanProbabilities();
    return new Calibration(p.length, ClassificationMetrics.accuracy(p, labels),
        ClassificationMetrics.brier(p, labels), ClassificationMetrics.negativeLogLikelihood(p,
            labels), TopLabelCalibration.reliability(p, labels));
  }

  /** Returns the named uncertainty score of every example, higher meaning more uncertain. */
  static double[] score(MonteCarloPrediction prediction, String name) {
    return switch (name) {
      case Scores.MAX_PROBABILITY -> org.byov.core.metrics.PredictiveUncertainty
          .maxProbabilityUncertainty(prediction.meanProbabilities());
      case Scores.ENTROPY -> prediction.predictiveEntropy();
      case Scores.MUTUAL_INFORMATION -> prediction.mutualInformation();
      case Scores.EMBEDDING_VARIANCE -> prediction.embeddingTotalVariance();
      default -> throw new IllegalArgumentException("Unknown score " + name + "; expected one of "
          + Scores.ALL);
    };
  }

  private static boolean[] correct(MonteCarloPrediction prediction, int[] labels) {
    boolean[] correct = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      correct[i] = ClassificationMetrics.argmax(prediction.meanProbabilities()[i]) == labels[i];
    }
    return correct;
  }

  private List<SelectiveScore> selective(MonteCarloPrediction validation, int[] validationLabels,
      MonteCarloPrediction test, int[] testLabels) {
    boolean[] validationCorrect = correct(validation, validationLabels);
    boolean[] testCorrect = correct(test, testLabels);
    List<SelectiveScore> result = new ArrayList<>();
    for (String name : Scores.ALL) {
      double[] validationScores = score(validation, name);
      double[] testScores = score(test, name);
      SelectivePrediction.AbstainThreshold threshold =
          SelectivePrediction.chooseThreshold(validationScores, options.targetCoverage());
      SelectivePrediction.SelectiveResult onValidation =
          SelectivePrediction.apply(threshold.threshold(), validationScores, validationCorrect);
      SelectivePrediction.SelectiveResult onTest =
          SelectivePrediction.apply(threshold.threshold(), testScores, testCorrect);
      SelectivePrediction.RiskCoverageCurve curve =
          SelectivePrediction.riskCoverage(testScores, testCorrect);
      result.add(new SelectiveScore(name, curve.aurc(), threshold.threshold(),
          onValidation.accuracy(), onTest.coverage(), onTest.accuracy(), sample(curve)));
    }
    return result;
  }

  /** Keeps at most 200 points of a risk-coverage curve for plotting. */
  private static List<double[]> sample(SelectivePrediction.RiskCoverageCurve curve) {
    List<SelectivePrediction.RiskCoveragePoint> points = curve.points();
    int step = Math.max(1, points.size() / 200);
    List<double[]> sampled = new ArrayList<>();
    for (int i = 0; i < points.size(); i += step) {
      sampled.add(new double[] {points.get(i).coverage(), points.get(i).risk()});
    }
    if (!points.isEmpty() && (points.size() - 1) % step != 0) {
      SelectivePrediction.RiskCoveragePoint last = points.get(points.size() - 1);
      sampled.add(new double[] {last.coverage(), last.risk()});
    }
    return sampled;
  }

  private List<OodScore> ood(MonteCarloPrediction test, MonteCarloPrediction ood) {
    List<OodScore> result = new ArrayList<>();
    for (String name : Scores.ALL) {
      double[] in = score(test, name);
      double[] out = score(ood, name);
      result.add(new OodScore(name, options.oodDataset(), in.length, out.length,
          OodMetrics.auroc(in, out), OodMetrics.aupr(in, out), OodMetrics.fprAt95Tpr(in, out),
          histogram(in, out, options.histogramBins())));
    }
    return result;
  }

  /** Counts both score sets over {@code bins} equal-width bins spanning their joint range. */
  static EvaluationResult.Histogram histogram(double[] in, double[] out, int bins) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] scores : new double[][] {in, out}) {
      for (double value : scores) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
    if (min > max) {
      min = 0;
      max = 1;
    }
    double width = max > min ? (max - min) / bins : 1.0 / bins;
    double[] edges = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      edges[i] = min + i * width;
    }
    return new EvaluationResult.Histogram(edges, count(in, min, width, bins),
        count(out, min, width, bins));
  }

  private static int[] count(double[] values, double min, double width, int bins) {
    int[] counts = new int[bins];
    for (double value : values) {
      int bin = (int) Math.floor((value - min) / width);
      counts[Math.max(0, Math.min(bins - 1, bin))]++;
    }
    return counts;
  }

  private List<CorruptionPoint> corruptions(NDManager manager, MonteCarloPredictor predictor,
      SuiteModel model, ImageSet test, PredictionHead head, Progress progress) {
    List<CorruptionPoint> result = new ArrayList<>();
    if (!options.corruptions()) {
      return result;
    }
    List<String> names = CorruptedImages.names();
    int total = names.size() * options.severities().size();
    for (String name : names) {
      for (int severity : options.severities()) {
        progress.update("corruption " + name + " " + severity, (double) result.size() / total);
        ImageSet corrupted = CorruptedImages.apply(test, name, severity, options.seed());
        MonteCarloPrediction prediction = predictor.predict(manager, images(corrupted, model),
            head);
        result.add(new CorruptionPoint(name, severity, calibration(prediction, test.labels())));
      }
    }
    return result;
  }

  private List<PruningPoint> pruning(NDManager manager, MonteCarloPredictor predictor,
      SuiteModel model, ModelPruner pruner, TrunkFeatures testFeatures, ImageSet test,
      PredictionHead head) {
    List<PruningPoint> result = new ArrayList<>();
    for (GlobalPruning.Criterion criterion : pruner.criteria()) {
      String name = criterion == GlobalPruning.Criterion.SNR ? Scores.SNR : Scores.MAGNITUDE;
      List<GlobalPruning.PruningPoint> sweep = GlobalPruning.sweep(pruner.layers(), criterion,
          options.sparsities());
      for (GlobalPruning.PruningPoint point : sweep) {
        pruner.apply(point);
        try {
          // A deterministic model's pruned layer lies in the trunk, which must then run again.
          TrunkFeatures features = pruner.isBayesian() || point.pruned() == 0 ? testFeatures
              : predictor.trunk(manager, images(test, model));
          MonteCarloPrediction prediction = predictor.predict(manager, features, head, false);
          Map<String, Double> fractions = new LinkedHashMap<>();
          for (GlobalPruning.LayerMask mask : point.layers()) {
            fractions.put(mask.name(), mask.prunedFraction());
          }
          result.add(new PruningPoint(name, point.sparsity(),
              ClassificationMetrics.accuracy(prediction.meanProbabilities(), test.labels()),
              fractions));
        } finally {
          pruner.restore();
        }
      }
    }
    return result;
  }

  private static List<LayerSnr> layerSnr(ModelPruner pruner) {
    List<LayerSnr> result = new ArrayList<>();
    for (SnrSummary s : SnrSummary.of(pruner.layers())) {
      result.add(new LayerSnr(s.layer(), s.count(), s.mean(), s.median(), s.lowerQuartile(),
          s.upperQuartile(), s.min(), s.max()));
    }
    return result;
  }

  private Alignment align(NDManager manager, SuiteModel model, MonteCarloPrediction test,
      SuiteModel reference, ImageSet testSet) {
    if (!reference.hasClassifier()) {
      throw new IllegalArgumentException("Uncertainty alignment needs a supervised-bbb model,"
          + " but " + reference.directory() + " was trained with " + reference.method());
    }
    MonteCarloPredictor predictor = new MonteCarloPredictor(reference.network().encoder(),
        new MonteCarloPredictor.Options(options.samples(), options.seed(), options.batchSize()));
    PredictionHead head = PredictionHead.classifier(reference.network().classifier(),
        testSet.classCount());
    MonteCarloPrediction referencePrediction = predictor.predict(manager,
        ImageSource.of(testSet, reference.mean(), reference.std()), head);
    UncertaintyAlignment.Alignment alignment = UncertaintyAlignment.compare(test.predictiveStd(),
        referencePrediction.predictiveStd());
    return new Alignment(reference.directory(), reference.registeredModel(), alignment.pairs(),
        alignment.pearson(), alignment.spearman(), alignment.ratioMean(), alignment.ratioStd());
  }
}
