package org.byov.core.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.byov.core.bayes.PriorKind;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianScope;
import org.byov.core.ssl.augment.ByolAugmenter;
import org.byov.core.train.EpochMetrics;
import org.byov.core.train.Method;
import org.byov.core.train.StepProgress;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingResult;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byov train}: trains on a dataset, writes a checkpoint per epoch under
 * {@code OUT/checkpoints} and the final model to {@code OUT/model}, and resumes from the newest
 * valid checkpoint when OUT already has some. SIGTERM or Ctrl-C stops at the next step with a
 * checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train BYOV, BYOL or supervised BBB; resumes if --out has checkpoints.")
public final class TrainCommand implements Callable<Integer> {

  private static final long SHUTDOWN_WAIT_SECONDS = 300;

  @Option(names = "--out", required = true, description = "Output directory for checkpoints and the model.")
  Path out;

  @Option(names = "--dataset", description = "Dataset name or path (default: ${DEFAULT-VALUE}).")
  String dataset = TrainingSpec.DEFAULT_DATASET;

  @Option(names = "--data-root", description = "Dataset root (default: $BYOV_DATA_ROOT or ~/.byov/datasets).")
  Path dataRoot;

  @Option(names = "--method", description = "byov, byol or supervised-bbb (default: byov).")
  String method = TrainingSpec.DEFAULT_METHOD.label();

  @Option(names = "--backbone", description = "Encoder backbone (default: ${DEFAULT-VALUE}).")
  String backbone = TrainingSpec.DEFAULT_BACKBONE;

  @Option(names = "--scope", description = "Bayesian scope: last-k, all or none (default: last-k).")
  String scope = TrainingSpec.DEFAULT_SCOPE.label();

  @Option(names = "--scope-k", description = "k of last-k, in encoder stages (default: ${DEFAULT-VALUE}).")
  int scopeK = TrainingSpec.DEFAULT_SCOPE_K;

  @Option(names = "--prior", description = "standard-normal, teacher or teacher-variance (default: teacher-variance; standard-normal for supervised-bbb, which has no teacher).")
  String prior;

  @Option(names = "--prior-sigma", description = "Prior sigma of standard-normal and teacher priors (default: ${DEFAULT-VALUE}).")
  double priorSigma = TrainingSpec.DEFAULT_PRIOR_SIGMA;

  @Option(names = "--kl-weight", description = "KL weight beta per training example (default: ${DEFAULT-VALUE}).")
  double klWeight = TrainingSpec.DEFAULT_KL_WEIGHT;

  @Option(names = "--kl-warmup-epochs", description = "Epochs of linear KL warm-up (default: ${DEFAULT-VALUE}).")
  double klWarmupEpochs = TrainingSpec.DEFAULT_KL_WARMUP_EPOCHS;

  @Option(names = "--lr", description = "Peak learning rate per step (default: ${DEFAULT-VALUE}).")
  double learningRate = TrainingSpec.DEFAULT_LEARNING_RATE;

  @Option(names = "--weight-decay", description = "Decoupled AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = TrainingSpec.DEFAULT_WEIGHT_DECAY;

  @Option(names = "--warmup-epochs", description = "Epochs of learning-rate warm-up (default: ${DEFAULT-VALUE}).")
  double warmupEpochs = TrainingSpec.DEFAULT_WARMUP_EPOCHS;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = TrainingSpec.DEFAULT_EPOCHS;

  @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize = TrainingSpec.DEFAULT_BATCH_SIZE;

  @Option(names = "--seed", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed = TrainingSpec.DEFAULT_SEED;

  @Option(names = "--train-subset", description = "Train on this many images (a seeded subset); default all.")
  Integer trainSubset;

  @Option(names = "--tau-base", description = "EMA rate of the target at step 0 (default: ${DEFAULT-VALUE}).")
  double tauBase = TrainingSpec.DEFAULT_TAU_BASE;

  @Option(names = "--keep", description = "Checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keep = 3;

  @Override
  public Integer call() throws Exception {
    TrainingSpec spec = spec();
    DatasetRegistry registry = dataRoot == null
        ? DatasetRegistry.fromEnvironment()
        : new DatasetRegistry(dataRoot);
    ImageSet train = registry.load(spec.dataset(), DatasetSplit.TRAIN);
    Path checkpoints = out.resolve("checkpoints");

    try (TrainingRun run = TrainingRun.create(spec, train, ByolAugmenter.forTrainingSet(train))) {
      Optional<Path> resumed = run.resumeFromNewest(List.of(checkpoints));
      resumed.ifPresent(path -> System.err.println("Resuming from " + path));
      TrainingResult result = trainWithShutdownHook(run, checkpoints);
      if (result.status() == TrainingResult.Status.STOPPED) {
        System.err.println("Stopped at epoch " + result.epochsCompleted() + ", step "
            + result.step() + "; checkpoint " + result.lastCheckpoint()
            + ". Run the same command to resume.");
        return 3;
      }
      Path model = out.resolve("model");
      run.exportModel(model);
      System.out.println("Model written to " + model);
      return 0;
    }
  }

  private TrainingResult trainWithShutdownHook(TrainingRun run, Path checkpoints)
      throws Exception {
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      run.requestStop();
      try {
        finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "byov-train-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ProgressBar bar = new ProgressBar(System.err, run.step());
    try {
      return run.train(new TrainingListener() {
        @Override
        public void onStep(StepProgress progress) {
          bar.update(progress, batchSize);
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
          bar.finishLine();
          System.err.println(EpochReport.format(metrics));
        }
      }, CheckpointTarget.under(checkpoints, keep));
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the running hook waits on the latch.
      }
    }
  }

  TrainingSpec spec() {
    Method parsedMethod = Method.parse(method);
    PriorKind priorKind = prior != null ? PriorKind.parse(prior)
        : parsedMethod == Method.SUPERVISED_BBB ? PriorKind.STANDARD_NORMAL
        : TrainingSpec.DEFAULT_PRIOR;
    return new TrainingSpec(parsedMethod, backbone, BayesianScope.Kind.parse(scope),
        scopeK, priorKind, priorSigma, klWeight, klWarmupEpochs, learningRate,
        weightDecay, warmupEpochs, epochs, batchSize, seed, dataset, trainSubset, tauBase);
  }
}
