package org.byov.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.byov.core.bayes.Snr;
import org.byov.core.checkpoint.CheckpointData;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.checkpoint.CheckpointTarget;
import org.byov.core.checkpoint.Checkpoints;
import org.byov.core.checkpoint.CodeVersion;
import org.byov.core.checkpoint.InputContract;
import org.byov.core.checkpoint.ParameterSnapshots;
import org.byov.core.checkpoint.RngPosition;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.byov.core.ssl.CollapseSignal;
import org.byov.core.ssl.TauSchedule;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.ssl.augment.ViewAugmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run as a library call: it owns the online network, the EMA target, the optimiser and
 * the position in the schedule, trains epoch by epoch with a checkpoint after each, stops at the
 * next step boundary on request (writing a checkpoint), resumes from a checkpoint, and exports
 * the final model directory. Not thread-safe, except {@link #requestStop()}.
 *
 * <p>Every array of the run lives on the device it was created for: parameters, optimiser state
 * and the batches of each step come from one base manager on that device. Checkpoints and
 * exported models hold plain float values, so a run may resume on another device.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.create(spec, trainSet, augmenter, Device.cpu())) {
 *   run.resumeFromNewest(List.of(checkpointRoot));
 *   TrainingResult result = run.train(listener, CheckpointTarget.under(checkpointRoot, 3));
 *   if (result.status() == TrainingResult.Status.COMPLETED) {
 *     run.exportModel(modelDirectory);
 *   }
 * }
 * }</pre>
 */
public final class TrainingRun implements AutoCloseable {

  static final String ONLINE_FILE = "online.params";
  static final String TARGET_FILE = "target.params";
  static final String OPTIMIZER_FILE = "optimizer.params";
  /** The file of a model directory. */
  public static final String MODEL_FILE = "model.params";

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private final TrainingSpec spec;
  private final ImageSet trainSet;
  private final int[] trainIndices;
  private final ViewAugmenter augmenter;
  private final NetworkLayout layout;
  private final NDManager manager;
  private final Network online;
  private final Network target;
  private final AdamW optimiser;
  private final StepRunner stepRunner;
  private final long stepsPerEpoch;
  private final long totalSteps;
  private final LearningRateSchedule learningRates;

  private long step;
  private int epochsCompleted;
  private EpochAccumulator partialEpoch = EpochAccumulator.empty();
  private final List<EpochMetrics> history = new ArrayList<>();
  private volatile boolean stopRequested;

  private TrainingRun(TrainingSpec spec, ImageSet trainSet, ViewAugmenter augmenter,
      Device device) {
    this.spec = spec;
    this.trainSet = trainSet;
    this.augmenter = augmenter;
    this.trainIndices = selectTrainingImages(spec, trainSet);
    this.stepsPerEpoch = trainIndices.length / spec.batchSize();
    this.totalSteps = stepsPerEpoch * spec.epochs();
    long warmupSteps = Math.min(totalSteps, Math.round(spec.warmupEpochs() * stepsPerEpoch));
    this.learningRates = new LearningRateSchedule(spec.learningRate(), warmupSteps, totalSteps);
    int classes = spec.method().selfSupervised() ? 0 : trainSet.classNames().size();
    this.layout = new NetworkLayout(spec.backbone(),
        new ImageShape(trainSet.channels(), trainSet.height(), trainSet.width()),
        spec.effectiveScope(), classes);

    this.manager = NDManager.newBaseManager(device);
    try {
      Network.Heads heads = spec.method().selfSupervised()
          ? Network.Heads.ONLINE_BYOL
          : Network.Heads.CLASSIFIER;
      this.online = Network.build(manager, layout, heads, LayerFactory.Kind.ONLINE, spec.seed());
      this.target = spec.method().selfSupervised()
          ? Network.build(manager, layout, Network.Heads.TARGET_BYOL, LayerFactory.Kind.FROZEN,
              spec.seed())
          : null;
      if (target != null) {
        org.byov.core.ssl.EmaTarget.copy(online.store(), target.store());
      }
      this.optimiser = new AdamW(online.store(), spec.weightDecay());
      this.stepRunner = new StepRunner(spec, trainSet, augmenter, manager, online, target,
          optimiser, trainIndices.length);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Creates a run with freshly initialised networks on the engine's default device, which DJL
   * makes the first GPU whenever one is visible.
   *
   * @see #create(TrainingSpec, ImageSet, ViewAugmenter, Device)
   */
  public static TrainingRun create(TrainingSpec spec, ImageSet trainSet, ViewAugmenter augmenter) {
    return create(spec, trainSet, augmenter, Engine.getInstance().defaultDevice());
  }

  /**
   * Creates a run with freshly initialised networks on {@code device}.
   *
   * @param spec the validated training spec
   * @param trainSet the training images; with {@code spec.trainSubset()} a seeded subset is used
   * @param augmenter source of the two normalised views per image
   * @param device the device of every array of the run, for example {@code Device.cpu()} or
   *     {@code Device.gpu(1)}
   * @throws IllegalArgumentException when {@code device} is a GPU that the engine does not see
   */
  public static TrainingRun create(TrainingSpec spec, ImageSet trainSet, ViewAugmenter augmenter,
      Device device) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(trainSet, "trainSet");
    Objects.requireNonNull(augmenter, "augmenter");
    Objects.requireNonNull(device, "device");
    requireAvailable(device);
    return new TrainingRun(spec, trainSet, augmenter, device);
  }

  private static void requireAvailable(Device device) {
    if (!device.isGpu()) {
      return;
    }
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    if (gpus == 0) {
      throw new IllegalArgumentException("Device " + device + " is not available: the "
          + engine.getEngineName() + " engine sees no GPU; train on the CPU");
    }
    if (device.getDeviceId() >= gpus) {
      throw new IllegalArgumentException("Device " + device + " is not available: the "
          + engine.getEngineName() + " engine sees " + gpus + " GPUs, with ids 0 to "
          + (gpus - 1) + "; use one of those");
    }
  }

  private static int[] selectTrainingImages(TrainingSpec spec, ImageSet trainSet) {
    int available = trainSet.count();
    int wanted = spec.trainSubset() == null ? available : spec.trainSubset();
    if (wanted > available) {
      throw new IllegalArgumentException("trainSubset = " + wanted + " exceeds the "
          + available + " images of " + trainSet.name() + "; use at most " + available);
    }
    if (wanted < spec.batchSize()) {
      throw new IllegalArgumentException(trainSet.name() + " has " + wanted
          + " training images, fewer than batchSize = " + spec.batchSize()
          + "; lower batchSize");
    }
    int[] all = new int[available];
    Arrays.setAll(all, i -> i);
    if (wanted == available) {
      return all;
    }
    int[] subset = Arrays.copyOf(Seeds.shuffled(all, Seeds.subset(spec.seed())), wanted);
    Arrays.sort(subset);
    return subset;
  }

  /**
   * Trains until every epoch is done or a stop is requested, writing a checkpoint after every
   * epoch and on a stop.
   *
   * @param listener progress callbacks and the stop check
   * @param checkpoints where to write checkpoints; null writes none
   */
  public TrainingResult train(TrainingListener listener, CheckpointTarget checkpoints)
      throws IOException {
    Path lastCheckpoint = null;
    LOG.info("Training {} on {} ({} images, {} steps per epoch) on {} from epoch {} step {} of {}",
        spec.method().label(), trainSet.name(), trainIndices.length, stepsPerEpoch,
        manager.getDevice(), epochsCompleted, step, totalSteps);
    while (epochsCompleted < spec.epochs()) {
      int epoch = epochsCompleted + 1;
      int[] order = Seeds.shuffled(trainIndices, Seeds.epochOrder(spec.seed(), epoch));
      while (step < (long) epoch * stepsPerEpoch) {
        runStep(order, epoch, listener);
        boolean endOfEpoch = step == (long) epoch * stepsPerEpoch;
        if (endOfEpoch) {
          finishEpoch(epoch, listener);
          if (checkpoints != null) {
            lastCheckpoint = checkpoint(checkpoints, true, listener);
          }
        }
        if (stopRequested || listener.stopRequested()) {
          if (checkpoints != null && !endOfEpoch) {
            lastCheckpoint = checkpoint(checkpoints, false, listener);
          }
          LOG.info("Training stopped on request at epoch {} step {}", epochsCompleted, step);
          return result(TrainingResult.Status.STOPPED, lastCheckpoint);
        }
      }
    }
    return result(TrainingResult.Status.COMPLETED, lastCheckpoint);
  }

  private void runStep(int[] order, int epoch, TrainingListener listener) {
    long stepInEpoch = step - (long) (epoch - 1) * stepsPerEpoch;
    int from = (int) (stepInEpoch * spec.batchSize());
    int[] batch = Arrays.copyOfRange(order, from, from + spec.batchSize());

    long started = System.nanoTime();
    StepRunner.StepValues values = stepRunner.run(batch, step, learningRates.at(step), tau(step),
        klWeight(step));
    double seconds = (System.nanoTime() - started) / 1e9;

    partialEpoch = partialEpoch.add(values.dataLoss(), values.klPerExample(), values.total(),
        values.embeddingStd(), seconds);
    step++;
    listener.onStep(new StepProgress(epoch, spec.epochs(), stepInEpoch + 1, stepsPerEpoch, step,
        totalSteps, values.total()));
  }

  private void finishEpoch(int epoch, TrainingListener listener) {
    long lastStep = step - 1;
    double n = partialEpoch.steps();
    int dim = online.encoder().embeddingDim();
    double embeddingStd = partialEpoch.embeddingStd() / n;
    double dataLoss = partialEpoch.dataLoss() / n;
    boolean selfSupervised = spec.method().selfSupervised();
    EpochMetrics metrics = new EpochMetrics(epoch, step,
        selfSupervised ? dataLoss : null,
        selfSupervised ? null : dataLoss,
        partialEpoch.klPerExample() / n,
        klWeight(lastStep),
        partialEpoch.totalLoss() / n,
        learningRates.at(lastStep),
        selfSupervised ? tau(lastStep) : null,
        embeddingStd,
        CollapseSignal.threshold(dim),
        CollapseSignal.isCollapsed(embeddingStd, dim),
        snrSummaries(),
        partialEpoch.seconds() > 0 ? n * spec.batchSize() / partialEpoch.seconds() : 0.0);
    history.add(metrics);
    epochsCompleted = epoch;
    partialEpoch = EpochAccumulator.empty();
    if (metrics.collapseAlert()) {
      LOG.warn("Collapse alert in epoch {}: embedding std {} is below {}", epoch, embeddingStd,
          metrics.collapseThreshold());
    }
    listener.onEpoch(metrics);
  }

  private List<Snr.Summary> snrSummaries() {
    List<Snr.Summary> summaries = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (BayesianLayer layer : online.bayesianLayers()) {
        NDArray snr = Snr.perWeight(layer.posterior()).stopGradient();
        summaries.add(Snr.summarise(layer.name(), snr.toFloatArray()));
      }
    }
    return summaries;
  }

  double tau(long atStep) {
    return TauSchedule.tau(atStep, totalSteps, spec.tauBase());
  }

  /** Returns beta at {@code atStep}, rising linearly over the KL warm-up. */
  double klWeight(long atStep) {
    double warmupSteps = spec.klWarmupEpochs() * stepsPerEpoch;
    if (warmupSteps <= 0) {
      return spec.klWeight();
    }
    return spec.klWeight() * Math.min(1.0, (atStep + 1) / warmupSteps);
  }

  /** Asks the run to stop after the current step; safe to call from any thread. */
  public void requestStop() {
    stopRequested = true;
  }

  private TrainingResult result(TrainingResult.Status status, Path lastCheckpoint) {
    return new TrainingResult(status, epochsCompleted, step, history, lastCheckpoint);
  }

  private Path checkpoint(CheckpointTarget checkpoints, boolean endOfEpoch,
      TrainingListener listener) throws IOException {
    Path directory = checkpoints.directoryFor(epochsCompleted, step, endOfEpoch);
    writeCheckpoint(directory);
    LOG.info("Wrote checkpoint {} (epoch {}, step {})", directory, epochsCompleted, step);
    Checkpoints.retainNewest(checkpoints.retentionRoots(), checkpoints.keep());
    listener.onCheckpoint(directory, epochsCompleted, step);
    return directory;
  }

  /** Writes a checkpoint of the current state to {@code directory} (atomically). */
  public void writeCheckpoint(Path directory) throws IOException {
    Map<String, Map<String, Tensor>> files = new LinkedHashMap<>();
    // Reading an array off a GPU, or a non-contiguous one, makes a temporary copy on the
    // array's own manager, which lives as long as the run unless a scope closes it.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      files.put(ONLINE_FILE, ParameterSnapshots.of(online.store()));
      if (target != null) {
        files.put(TARGET_FILE, ParameterSnapshots.of(target.store()));
      }
      Map<String, Tensor> optimiserState = new LinkedHashMap<>();
      optimiser.state().forEach((name, array) -> optimiserState.put(name,
          ParameterSnapshots.of(array)));
      files.put(OPTIMIZER_FILE, optimiserState);
    }
    boolean midEpoch = partialEpoch.steps() > 0;
    CheckpointIo.write(directory, manifest(CheckpointManifest.KIND_CHECKPOINT,
        midEpoch ? partialEpoch : null), files);
  }

  /**
   * Writes the final model directory: the encoder (and classifier) with posterior means and
   * sigmas (not rho), the input contract and the metrics history.
   */
  public void exportModel(Path directory) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Parameter parameter : online.store().all()) {
        String name = parameter.name();
        if (name.startsWith("projector.") || name.startsWith("predictor.")) {
          continue;
        }
        if (parameter.role() == ParameterRole.POSTERIOR_RHO) {
          NDArray sigma = org.byov.core.bayes.Softplus.sigma(parameter.array()).stopGradient();
          tensors.put(name.substring(0, name.length() - ".rho".length()) + ".sigma",
              ParameterSnapshots.of(sigma));
        } else {
          tensors.put(name, ParameterSnapshots.of(parameter.array()));
        }
      }
    }
    CheckpointIo.write(directory, manifest(CheckpointManifest.KIND_MODEL, null),
        Map.of(MODEL_FILE, tensors));
    LOG.info("Wrote model {} after epoch {}", directory, epochsCompleted);
  }

  private CheckpointManifest manifest(String kind, EpochAccumulator partial) {
    Normalization normalization = augmenter.normalization();
    InputContract contract = new InputContract(trainSet.channels(), trainSet.height(),
        trainSet.width(), toDoubles(normalization.mean()), toDoubles(normalization.std()),
        trainSet.classNames());
    return new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, kind, spec, layout,
        epochsCompleted, step, stepsPerEpoch, trainIndices.length,
        new RngPosition(RngPosition.ALGORITHM, spec.seed(), step), history, partial, spec.seed(),
        trainSet.fingerprint(), CodeVersion.current(), Instant.now().toString(), contract, null);
  }

  /**
   * Restores the state of a checkpoint directory, after verifying its checksums and that it was
   * written by the same spec on the same data.
   */
  public void resumeFrom(Path directory) throws IOException {
    CheckpointData data = CheckpointIo.read(directory);
    CheckpointManifest manifest = data.manifest();
    requireCompatible(directory, manifest);

    String source = "Checkpoint " + directory;
    ParameterSnapshots.restore(online.store(), data.tensors(ONLINE_FILE), source);
    if (target != null) {
      ParameterSnapshots.restore(target.store(), data.tensors(TARGET_FILE), source);
    }
    Map<String, float[]> optimiserState = new LinkedHashMap<>();
    data.tensors(OPTIMIZER_FILE).forEach((name, tensor) -> optimiserState.put(name,
        tensor.values()));
    optimiser.restore(manifest.step(), optimiserState);

    step = manifest.step();
    epochsCompleted = manifest.epoch();
    history.clear();
    history.addAll(manifest.metrics());
    partialEpoch = manifest.partialEpoch() == null
        ? EpochAccumulator.empty()
        : manifest.partialEpoch();
    LOG.info("Resumed from {} at epoch {} step {}", directory, epochsCompleted, step);
  }

  /**
   * Resumes from the newest valid checkpoint under {@code roots}, if any; invalid checkpoints are
   * skipped. Returns the directory resumed from.
   */
  public Optional<Path> resumeFromNewest(List<Path> roots) throws IOException {
    Optional<Path> newest = Checkpoints.newestValid(roots);
    if (newest.isPresent()) {
      resumeFrom(newest.get());
    }
    return newest;
  }

  private void requireCompatible(Path directory, CheckpointManifest manifest) {
    if (!CheckpointManifest.KIND_CHECKPOINT.equals(manifest.kind())) {
      throw new IllegalArgumentException(directory + " is a " + manifest.kind()
          + " directory, not a checkpoint; resume needs a checkpoint");
    }
    if (!spec.equals(manifest.spec())) {
      throw new IllegalArgumentException("Checkpoint " + directory + " was written by a different "
          + "training spec; resume with the same spec or start a new run.\n  checkpoint: "
          + manifest.spec() + "\n  requested:  " + spec);
    }
    if (!Objects.equals(trainSet.fingerprint(), manifest.dataFingerprint())) {
      throw new IllegalArgumentException("Checkpoint " + directory + " was trained on data with "
          + "fingerprint " + manifest.dataFingerprint() + ", but " + trainSet.name() + " has "
          + trainSet.fingerprint() + "; resume on the same data");
    }
  }

  public TrainingSpec spec() {
    return spec;
  }

  /** Returns the device that every array of the run lives on. */
  public Device device() {
    return manager.getDevice();
  }

  public NetworkLayout layout() {
    return layout;
  }

  /** Returns the online network, for reading its parameters. */
  public Network online() {
    return online;
  }

  /** Returns the EMA target, or null for supervised-bbb. */
  public Network target() {
    return target;
  }

  public AdamW optimiser() {
    return optimiser;
  }

  /** Global optimiser steps completed. */
  public long step() {
    return step;
  }

  public int epochsCompleted() {
    return epochsCompleted;
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  public long totalSteps() {
    return totalSteps;
  }

  /** Returns the number of training images N_train (the KL divisor). */
  public int trainingImages() {
    return trainIndices.length;
  }

  public List<EpochMetrics> metrics() {
    return List.copyOf(history);
  }

  /** Returns the KL summed over the Bayesian layers right now, in nats (0 without any). */
  public double currentKl() {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray kl = stepRunner.klSum();
      return kl == null ? 0.0 : kl.getFloat();
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  private static double[] toDoubles(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
