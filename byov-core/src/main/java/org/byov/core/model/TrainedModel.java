package org.byov.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byov.core.bayes.Softplus;
import org.byov.core.checkpoint.CheckpointData;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.checkpoint.InputContract;
import org.byov.core.checkpoint.ParameterSnapshots;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.byov.core.train.TrainingSpec;

/**
 * A trained encoder (and, for supervised-bbb, its classifier) loaded for inference and evaluation.
 * Bayesian layers hold mu and sigma as plain arrays, so an evaluator can prune a weight by setting
 * both to exactly 0 through {@link #bayesianLayers()}.
 *
 * <p>The deterministic trunk runs once per image ({@link #trunkFeatures}); the Bayesian tail then
 * runs S weight samples in one call on the cached features ({@link #sampleEmbeddings}). Every
 * method that takes an array returns its result attached to that array's manager and frees all
 * intermediates, so the caller's try-with-resources manager bounds native memory. Not
 * thread-safe: give each thread its own instance, or serialise calls.
 */
public final class TrainedModel implements AutoCloseable {

  private static final String CHECKPOINT_WEIGHTS = "online.params";
  private static final String MODEL_WEIGHTS = "model.params";

  private final CheckpointManifest manifest;
  private final NDManager manager;
  private final Network network;

  private TrainedModel(CheckpointManifest manifest, NDManager manager, Network network) {
    this.manifest = manifest;
    this.manager = manager;
    this.network = network;
  }

  /**
   * Loads a model directory or a checkpoint directory after verifying every checksum; a corrupt
   * directory fails with {@link org.byov.core.checkpoint.CorruptCheckpointException} and loads
   * nothing.
   */
  public static TrainedModel load(Path directory) throws IOException {
    CheckpointData data = CheckpointIo.read(directory);
    CheckpointManifest manifest = data.manifest();
    Map<String, Tensor> tensors = CheckpointManifest.KIND_MODEL.equals(manifest.kind())
        ? data.tensors(MODEL_WEIGHTS)
        : data.tensors(CHECKPOINT_WEIGHTS);

    NetworkLayout layout = manifest.layout();
    Network.Heads heads = layout.classes() > 0 ? Network.Heads.CLASSIFIER : Network.Heads.ENCODER;
    NDManager manager = NDManager.newBaseManager();
    try {
      Network network = Network.build(manager, layout, heads, LayerFactory.Kind.FROZEN,
          manifest.seed());
      restore(network, tensors, directory);
      return new TrainedModel(manifest, manager, network);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static void restore(Network network, Map<String, Tensor> tensors, Path directory) {
    String source = "Model " + directory;
    for (Parameter parameter : network.store().all()) {
      String name = parameter.name();
      Tensor tensor = tensors.get(name);
      if (tensor == null && parameter.role() == ParameterRole.POSTERIOR_SIGMA) {
        Tensor rho = tensors.get(name.substring(0, name.length() - ".sigma".length()) + ".rho");
        tensor = rho == null ? null : sigmaOf(rho);
      }
      if (tensor == null) {
        throw new IllegalArgumentException(source + " has no tensor " + name);
      }
      ParameterSnapshots.restore(parameter, tensor, source);
    }
  }

  private static Tensor sigmaOf(Tensor rho) {
    float[] sigma = new float[rho.values().length];
    for (int i = 0; i < sigma.length; i++) {
      sigma[i] = (float) Softplus.sigma(rho.values()[i]);
    }
    return new Tensor(rho.shape(), sigma);
  }

  /** Returns the manifest: spec, metrics history and provenance. */
  public CheckpointManifest manifest() {
    return manifest;
  }

  public InputContract inputContract() {
    return manifest.inputContract();
  }

  public TrainingSpec spec() {
    return manifest.spec();
  }

  public NetworkLayout layout() {
    return network.layout();
  }

  /** Returns whether the encoder has Bayesian layers (false for scope none and byol). */
  public boolean isBayesian() {
    return !network.encoder().bayesianLayers().isEmpty();
  }

  /** Returns whether the model has a classifier head (supervised-bbb). */
  public boolean hasClassifier() {
    return network.classifier() != null;
  }

  public int embeddingDim() {
    return network.encoder().embeddingDim();
  }

  /**
   * Returns the Bayesian layers (encoder tail, then a Bayesian classifier). Their {@code mean()} and
   * {@code sigma()} parameters can be read and overwritten in place, for example to prune.
   */
  public List<BayesianLayer> bayesianLayers() {
    return network.bayesianLayers();
  }

  /**
   * Returns normalised images {@code [B, C, H, W]} on {@code target} for images {@code indices}
   * of {@code set}, which must match the input contract's shape.
   */
  public NDArray normalise(NDManager target, ImageSet set, int[] indices) {
    InputContract contract = inputContract();
    if (set.channels() != contract.channels() || set.height() != contract.height()
        || set.width() != contract.width()) {
      throw new IllegalArgumentException("Images of " + set.name() + " are " + set.channels()
          + "x" + set.height() + "x" + set.width() + ", the model expects " + contract.channels()
          + "x" + contract.height() + "x" + contract.width());
    }
    float[] values = new float[indices.length * set.imageSize()];
    int pixelsPerChannel = set.height() * set.width();
    for (int b = 0; b < indices.length; b++) {
      for (int offset = 0; offset < set.imageSize(); offset++) {
        int c = offset / pixelsPerChannel;
        double x = set.pixel(indices[b], offset) / 255.0;
        values[b * set.imageSize() + offset] =
            (float) ((x - contract.mean()[c]) / contract.std()[c]);
      }
    }
    return target.create(values, new Shape(indices.length, set.channels(), set.height(),
        set.width()));
  }

  /** Runs the deterministic trunk: normalised images {@code [B, C, H, W]} to features. */
  public NDArray trunkFeatures(NDArray images) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return keep(network.encoder().trunk(images, ForwardPass.inferenceMean()), images);
    }
  }

  /**
   * Runs the Bayesian tail {@code samples} times on cached trunk features and returns embeddings
   * {@code [S, B, D]}. The weight noise depends only on {@code seed}, so the same seed gives the
   * same samples. For a model without Bayesian layers all samples are equal.
   */
  public NDArray sampleEmbeddings(NDArray features, int samples, long seed) {
    long batch = features.getShape().get(0);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      ForwardPass pass = isBayesian()
          ? ForwardPass.inferenceSampled(samples, seed)
          : ForwardPass.inferenceMean();
      NDArray embeddings = network.encoder().tail(features, pass);
      NDArray shaped = isBayesian()
          ? embeddings.reshape(samples, batch, embeddingDim())
          : embeddings.expandDims(0).repeat(0, samples);
      return keep(shaped, features);
    }
  }

  /** Runs the tail with posterior means (mu only): embeddings {@code [B, D]}. */
  public NDArray meanEmbeddings(NDArray features) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return keep(network.encoder().tail(features, ForwardPass.inferenceMean()), features);
    }
  }

  /**
   * Returns classifier logits {@code [S, B, K]} for {@code samples} weight samples of the tail and
   * the classifier; only for models with a classifier.
   */
  public NDArray sampleLogits(NDArray features, int samples, long seed) {
    requireClassifier();
    long batch = features.getShape().get(0);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      boolean sampled = !network.bayesianLayers().isEmpty();
      int passSamples = sampled ? samples : 1;
      ForwardPass pass = sampled
          ? ForwardPass.inferenceSampled(samples, seed)
          : ForwardPass.inferenceMean();
      NDArray embeddings = network.encoder().tail(features, pass);
      NDArray logits = network.classifier().forward(embeddings, pass)
          .reshape(passSamples, batch, -1);
      return keep(sampled ? logits : logits.repeat(0, samples), features);
    }
  }

  /**
   * Returns mean embeddings {@code [N][D]} of every image of {@code set}, in batches of
   * {@code batchSize}, for linear probes.
   */
  public float[][] meanEmbeddings(ImageSet set, int batchSize) {
    int dim = embeddingDim();
    float[][] result = new float[set.count()][];
    for (int from = 0; from < set.count(); from += batchSize) {
      int to = Math.min(set.count(), from + batchSize);
      int[] indices = new int[to - from];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = from + i;
      }
      try (NDManager batchManager = manager.newSubManager()) {
        NDArray images = normalise(batchManager, set, indices);
        float[] flat = meanEmbeddings(trunkFeatures(images)).toFloatArray();
        for (int i = 0; i < indices.length; i++) {
          result[from + i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
      }
    }
    return result;
  }

  private void requireClassifier() {
    if (!hasClassifier()) {
      throw new IllegalStateException("This model has no classifier head; only supervised-bbb "
          + "models predict classes (use a linear probe on the embeddings)");
    }
  }

  /** Moves {@code result} to {@code owner}'s manager and out of the enclosing scope. */
  private static NDArray keep(NDArray result, NDArray owner) {
    result.attach(owner.getManager());
    NDScope.unregister(result);
    return result;
  }

  @Override
  public void close() {
    manager.close();
  }
}
