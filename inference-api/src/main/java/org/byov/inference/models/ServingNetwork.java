package org.byov.inference.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.byov.core.nn.Backbone;
import org.byov.core.nn.Backbones;
import org.byov.core.nn.BatchNormLayer;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.BayesianLinear;
import org.byov.core.nn.Conv2dLayer;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.Initializer;
import org.byov.core.nn.Layer;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.NoiseSource;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterStore;
import org.byov.core.nn.Sequential;
import org.byov.core.nn.Stage;

/**
 * An encoder laid out for serving: the deterministic trunk as one {@link Sequential} and the
 * Bayesian tail as a visible list of layers, built with the same backbone code and parameter names
 * as {@link org.byov.core.nn.Encoder}, so that a trained model's arrays copy in by name.
 *
 * <p>Monte Carlo sampling of the tail has two paths:
 *
 * <ul>
 *   <li>When every Bayesian layer of the tail is fully connected (the default scope, the 256 -> 256
 *       embedding layer), each such layer uses the local reparameterisation trick: for an input
 *       row x the pre-activation is Gaussian with mean {@code x mu^T + b} and variance {@code x^2
 *       (sigma^2)^T}, so its S samples are {@code mean + sqrt(variance) * epsilon}. For one input
 *       this is exactly the distribution that sampling the weights gives, and epsilon is drawn per
 *       image from {@code NoiseSource(seed, imageIndex)}, so an image's samples do not depend on
 *       the other images of its micro-batch.
 *   <li>Otherwise (Bayesian convolutions, whose weights are shared across positions) the weights
 *       themselves are sampled, S sets per request from {@code NoiseSource(seed, 0)}, shared by
 *       every image of that request.
 * </ul>
 *
 * <p>BatchNorm in inference mode is an affine map per channel, so the serving network folds it
 * into the layer before: a convolution of the trunk followed by BatchNorm runs as one convolution
 * with scaled weights and a bias, and a BatchNorm after a fully connected Bayesian layer scales
 * the mean and standard deviation of its pre-activation on {@code [B, out]} instead of running on
 * all {@code S * B} sampled rows. The folded values are computed when the network is built and
 * each time {@link #copyFrom(ParameterStore)} copies new parameters in.
 */
public final class ServingNetwork implements AutoCloseable {

  private final NetworkLayout layout;
  private final NDManager manager;
  private final ParameterStore store;
  private final List<Layer> trunkLayers;
  private final List<Layer> tail;
  private final List<BayesianLayer> bayesianLayers;
  private final boolean localReparameterisation;
  private final int embeddingDim;
  /** Output width of each Bayesian layer of the tail, read once so that any thread may use it. */
  private final int[] bayesianOutputWidths;
  private final Layer classifier;
  /** Manager of the folded layers' arrays, replaced by {@link #fold()}. */
  private NDManager foldedArrays;
  private Sequential trunk;
  /** Derived arrays of each fully connected Bayesian layer of the tail, by tail index. */
  private Map<Integer, FoldedLinear> tailLinears = Map.of();

  /**
   * sigma^2 of a fully connected Bayesian layer, and the scale and shift of the BatchNorm right
   * after it (both null when none follows).
   */
  private record FoldedLinear(NDArray variance, NDArray scale, NDArray shift) {}

  private ServingNetwork(NetworkLayout layout, NDManager manager, ParameterStore store,
      List<Layer> trunkLayers, List<Layer> tail, List<BayesianLayer> bayesianLayers,
      int embeddingDim, Layer classifier) {
    this.layout = layout;
    this.manager = manager;
    this.store = store;
    this.trunkLayers = List.copyOf(trunkLayers);
    this.tail = List.copyOf(tail);
    this.bayesianLayers = List.copyOf(bayesianLayers);
    this.localReparameterisation = bayesianLayers.stream().allMatch(BayesianLinear.class::isInstance);
    this.embeddingDim = embeddingDim;
    this.bayesianOutputWidths = bayesianLayers.stream()
        .mapToInt(layer -> (int) layer.mean().array().getShape().get(0)).toArray();
    this.classifier = classifier;
  }

  /**
   * Builds the encoder of {@code layout} with Bayesian layers that store sigma directly, on its
   * own manager on {@code device}, initialised from {@code seed}. A layout with classes (a {@code
   * supervised-bbb} model) also gets its classifier layer, Bayesian unless the scope is {@code
   * none}, as byov-core's {@code Network} builds it. Copy trained values in with {@link
   * #copyFrom(ParameterStore)}.
   */
  public static ServingNetwork build(Device device, NetworkLayout layout, long seed) {
    NDManager manager = NDManager.newBaseManager(device);
    ParameterStore store = new ParameterStore(manager, false);
    try {
      LayerFactory factory = new LayerFactory(store, LayerFactory.Kind.FROZEN,
          new Initializer(seed));
      Backbone backbone = Backbones.byName(layout.backbone());
      List<Stage> stages = backbone.stages(layout.input());
      int firstBayesian = stages.size() - layout.scope().bayesianStages(stages.size());

      List<Layer> trunk = new ArrayList<>();
      List<Layer> tail = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        boolean bayesian = i >= firstBayesian;
        (bayesian ? tail : trunk).addAll(stages.get(i).build(factory, bayesian));
      }
      List<BayesianLayer> tailBayesian = List.copyOf(factory.bayesianLayers());
      Layer classifier = null;
      if (layout.classes() > 0) {
        boolean bayesian = layout.scope().kind() != BayesianScope.Kind.NONE;
        classifier = factory.linear(ClassifierHead.NAME, backbone.embeddingDim(),
            layout.classes(), bayesian);
      }
      ServingNetwork network = new ServingNetwork(layout, manager, store, trunk, tail,
          tailBayesian, backbone.embeddingDim(), classifier);
      network.fold();
      return network;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Copies every parameter of this network from {@code source} by name, checking shapes.
   *
   * @throws IllegalArgumentException naming the first missing parameter or shape mismatch
   */
  public void copyFrom(ParameterStore source) {
    for (Parameter target : store.all()) {
      if (!source.contains(target.name())) {
        throw new IllegalArgumentException("The model has no parameter " + target.name()
            + ", which a " + layout.backbone() + " encoder with scope " + layout.scope()
            + " needs");
      }
      NDArray values = source.get(target.name()).array();
      if (!values.getShape().equals(target.array().getShape())) {
        throw new IllegalArgumentException("Parameter " + target.name() + " has shape "
            + values.getShape() + ", expected " + target.array().getShape());
      }
      target.assign(values.toFloatArray());
    }
    fold();
  }

  /**
   * Recomputes the folded layers after a parameter of this network changed other than through
   * {@link #copyFrom(ParameterStore)}, such as a test setting sigma. Call it before the network
   * serves requests again.
   */
  public void parametersChanged() {
    fold();
  }

  /** Recomputes the folded trunk and the tail's derived arrays from the current parameters. */
  private void fold() {
    NDManager arrays = manager.newSubManager();
    List<Layer> folded = new ArrayList<>();
    for (int i = 0; i < trunkLayers.size(); i++) {
      Layer layer = trunkLayers.get(i);
      Layer next = i + 1 < trunkLayers.size() ? trunkLayers.get(i + 1) : null;
      if (layer instanceof Conv2dLayer conv && next instanceof BatchNormLayer norm) {
        folded.add(conv.foldedWith(norm, arrays));
        i++;
      } else {
        folded.add(layer);
      }
    }
    Map<Integer, FoldedLinear> linears = new LinkedHashMap<>();
    for (int i = 0; i < tail.size(); i++) {
      if (tail.get(i) instanceof BayesianLinear bayesian) {
        NDArray sigma = bayesian.sigma().array();
        NDArray variance = arrays.create(sigma.toFloatArray(), sigma.getShape()).square();
        NDArray scale = null;
        NDArray shift = null;
        if (i + 1 < tail.size() && tail.get(i + 1) instanceof BatchNormLayer norm) {
          float[][] scaleShift = norm.inferenceScaleShift();
          scale = arrays.create(scaleShift[0]);
          shift = arrays.create(scaleShift[1]);
        }
        linears.put(i, new FoldedLinear(variance, scale, shift));
      }
    }
    NDManager previous = foldedArrays;
    foldedArrays = arrays;
    trunk = new Sequential(folded);
    tailLinears = Map.copyOf(linears);
    if (previous != null) {
      previous.close();
    }
  }

  /** Runs the trunk on images {@code [B, C, H, W]} and returns features {@code [B, ...]}. */
  public NDArray trunk(NDArray images) {
    return trunk.forward(images, ForwardPass.inferenceMean());
  }

  /**
   * Runs the tail S times and returns embeddings {@code [S * B, D]}, sample-major.
   *
   * @param features trunk output {@code [B, ...]}
   * @param seeds request seed of each of the B images
   * @param imageIndices index of each image within its request
   */
  public NDArray sampleTail(NDArray features, int samples, long[] seeds, int[] imageIndices) {
    return sampleTail(features, samples, seeds, imageIndices, new float[seeds.length][]);
  }

  /**
   * Runs the tail S times as {@link #sampleTail(NDArray, int, long[], int[])} does, with the
   * noise of image i taken from {@code noise[i]} where that is not null; it must be what {@link
   * #imageNoise(long, int, int)} returns for that image.
   */
  public NDArray sampleTail(NDArray features, int samples, long[] seeds, int[] imageIndices,
      float[][] noise) {
    if (bayesianLayers.isEmpty()) {
      return deterministicTail(features, samples);
    }
    if (localReparameterisation) {
      return localReparameterisedTail(features, samples, seeds, imageIndices, noise);
    }
    return weightSampledTail(features, samples, seeds);
  }

  /** Runs the tail once with posterior means: the deterministic pass. */
  public NDArray meanTail(NDArray features) {
    NDArray x = features;
    for (Layer layer : tail) {
      x = layer.forward(x, ForwardPass.inferenceMean());
    }
    return x;
  }

  /** Without Bayesian layers every sample is the same, so the tail runs once and is repeated. */
  private NDArray deterministicTail(NDArray features, int samples) {
    NDArray once = meanTail(features);
    return repeatSampleMajor(once, samples);
  }

  private NDArray localReparameterisedTail(NDArray features, int samples, long[] seeds,
      int[] imageIndices, float[][] imageNoise) {
    int batch = seeds.length;
    NDArray x = features;
    boolean expanded = false;
    int stream = 0;
    int offset = 0;
    for (int i = 0; i < tail.size(); i++) {
      Layer layer = tail.get(i);
      if (layer instanceof BayesianLinear bayesian) {
        NDArray mean = Linear.linear(x, bayesian.mean().array(),
            store.get(bayesian.name() + ".bias").array()).singletonOrThrow();
        FoldedLinear derived = tailLinears.get(i);
        NDArray std = Linear.linear(x.square(), derived.variance()).singletonOrThrow().sqrt();
        if (derived.scale() != null) {
          // BatchNorm(m + s * e) = (a m + c) + (a s) e, so the norm acts on [rows, out] once.
          mean = mean.mul(derived.scale()).add(derived.shift());
          std = std.mul(derived.scale());
          i++;
        }
        int out = (int) mean.getShape().get(1);
        float[] noise = perImageNoise(stream, samples, batch, out, seeds, imageIndices,
            imageNoise, offset);
        if (expanded) {
          x = x.getManager().create(noise, new Shape((long) samples * batch, out))
              .mul(std).add(mean);
        } else {
          // Noise [S, B, out] broadcasts against mean and std [B, out].
          x = x.getManager().create(noise, new Shape(samples, batch, out))
              .mul(std).add(mean).reshape((long) samples * batch, out);
          expanded = true;
        }
        stream++;
        offset += samples * out;
      } else {
        // In inference mode every layer acts on each row alone, so the layers before the first
        // Bayesian one run on [B, ...] once instead of S times.
        x = layer.forward(x, ForwardPass.inferenceMean());
      }
    }
    return expanded ? x : repeatSampleMajor(x, samples);
  }

  /**
   * Noise {@code [S * B, out]}, sample-major: row {@code s * B + i} holds sample s of image i,
   * drawn from {@code NoiseSource(seeds[i], imageIndices[i])} on the layer's stream, or copied
   * from {@code imageNoise[i]} at {@code offset} where the caller drew it.
   */
  private static float[] perImageNoise(int stream, int samples, int batch, int out, long[] seeds,
      int[] imageIndices, float[][] imageNoise, int offset) {
    float[] noise = new float[samples * batch * out];
    for (int i = 0; i < batch; i++) {
      if (imageNoise[i] != null) {
        for (int s = 0; s < samples; s++) {
          System.arraycopy(imageNoise[i], offset + s * out, noise, (s * batch + i) * out, out);
        }
        continue;
      }
      NoiseSource source = new NoiseSource(seeds[i], imageIndices[i]);
      for (int s = 0; s < samples; s++) {
        source.gaussian(stream, s, noise, (s * batch + i) * out, out);
      }
    }
    return noise;
  }

  /**
   * Returns the noise that sampling the tail draws for image {@code imageIndex} of a request with
   * {@code seed}: for each fully connected Bayesian layer in order, S rows of its output width.
   * Returns null when the tail samples weights instead (a Bayesian convolution), whose noise is
   * per request. Safe to call from any thread.
   */
  public float[] imageNoise(long seed, int imageIndex, int samples) {
    if (!localReparameterisation || bayesianLayers.isEmpty()) {
      return null;
    }
    int total = 0;
    for (int width : bayesianOutputWidths) {
      total += samples * width;
    }
    float[] noise = new float[total];
    NoiseSource source = new NoiseSource(seed, imageIndex);
    int offset = 0;
    for (int stream = 0; stream < bayesianLayers.size(); stream++) {
      int out = bayesianOutputWidths[stream];
      for (int s = 0; s < samples; s++) {
        source.gaussian(stream, s, noise, offset, out);
        offset += out;
      }
    }
    return noise;
  }


  /** Samples S weight sets per distinct seed, shared by the images that carry that seed. */
  private NDArray weightSampledTail(NDArray features, int samples, long[] seeds) {
    NDManager scope = features.getManager();
    int batch = seeds.length;
    NDArray[] perImage = new NDArray[batch];
    Map<Long, List<Integer>> bySeed = new LinkedHashMap<>();
    for (int i = 0; i < batch; i++) {
      bySeed.computeIfAbsent(seeds[i], key -> new ArrayList<>()).add(i);
    }
    for (var group : bySeed.entrySet()) {
      List<Integer> members = group.getValue();
      int[] indices = members.stream().mapToInt(Integer::intValue).toArray();
      NDArray groupFeatures = features.get(scope.create(indices));
      NDArray x = repeatSampleMajor(groupFeatures, samples);
      ForwardPass pass = new ForwardPass(false, false, samples, ForwardPass.WeightMode.SAMPLED,
          new NoiseSource(group.getKey(), 0));
      for (Layer layer : tail) {
        x = layer.forward(x, pass);
      }
      NDArray bySample = x.reshape(samples, members.size(), -1);
      for (int m = 0; m < members.size(); m++) {
        perImage[members.get(m)] = bySample.get(":, " + m + ", :");
      }
    }
    // [S, B, D] from B arrays of [S, D], then sample-major rows.
    return NDArrays.stack(new NDList(perImage), 1).reshape(
        (long) samples * batch, -1);
  }

  /** Repeats {@code [B, ...]} S times into {@code [S * B, ...]}, sample-major. */
  private static NDArray repeatSampleMajor(NDArray x, int samples) {
    if (samples == 1) {
      return x;
    }
    long[] shape = x.getShape().getShape().clone();
    shape[0] = shape[0] * samples;
    return x.expandDims(0).repeat(0, samples).reshape(shape);
  }

  public NetworkLayout layout() {
    return layout;
  }

  public ParameterStore store() {
    return store;
  }

  /**
   * Returns the classifier head of a {@code supervised-bbb} model with the values currently in
   * the store, or null for a network without a classifier.
   */
  public ClassifierHead classifierHead() {
    return classifier == null ? null : ClassifierHead.of(this, classifier, bayesianLayers.size());
  }

  /** The Bayesian layers of the tail, in order; empty for scope {@code none}. */
  public List<BayesianLayer> bayesianLayers() {
    return bayesianLayers;
  }

  public int embeddingDim() {
    return embeddingDim;
  }

  @Override
  public void close() {
    manager.close();
  }
}
