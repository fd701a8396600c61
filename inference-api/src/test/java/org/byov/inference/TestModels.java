package org.byov.inference;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.NetworkLayout;
import org.byov.inference.models.InputContract;
import org.byov.inference.models.ModelVersionInfo;
import org.byov.inference.models.ProbeHead;
import org.byov.inference.models.ServingModel;
import org.byov.inference.models.ServingNetwork;

/**
 * Small real models for tests: the default CNN on 28x28 grayscale with random initial weights
 * (a real model for every property the tests check), a random 10-class probe head and the
 * Fashion-MNIST class names.
 */
public final class TestModels {

  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  public static final InputContract CONTRACT =
      new InputContract(1, 28, 28, List.of(0.2860), List.of(0.3530), CLASSES);

  private TestModels() {}

  public static ServingModel model(String name, int version, BayesianScope scope, long seed) {
    return model(name, version, scope, seed, 0.5);
  }

  public static ServingModel model(String name, int version, BayesianScope scope, long seed,
      Double abstainThreshold) {
    return model(new ModelVersionInfo(name, version, "memory:" + name, abstainThreshold), scope,
        seed);
  }

  /** Builds a model described by {@code info}, with initial weights and probe from {@code seed}. */
  public static ServingModel model(ModelVersionInfo info, BayesianScope scope, long seed) {
    ServingNetwork network = ServingNetwork.build(Device.cpu(),
        new NetworkLayout("cnn", new ImageShape(1, 28, 28), scope, 0), seed);
    return new ServingModel(info, CONTRACT, network, probe(network.embeddingDim(), seed));
  }

  /** Sets every posterior sigma of {@code model} to {@code sigma}. */
  public static void setSigma(ServingModel model, float sigma) {
    for (BayesianLayer layer : model.network().bayesianLayers()) {
      float[] values = new float[(int) layer.weightCount()];
      java.util.Arrays.fill(values, sigma);
      layer.sigma().assign(values);
    }
    model.network().parametersChanged();
  }

  static ProbeHead probe(int dim, long seed) {
    Random random = new Random(seed);
    double[][] weights = new double[CLASSES.size()][dim];
    double[] bias = new double[CLASSES.size()];
    for (double[] row : weights) {
      for (int d = 0; d < dim; d++) {
        row[d] = random.nextGaussian() * 0.5;
      }
    }
    return new ProbeHead(weights, bias);
  }

  /** Returns a deterministic pseudo-random image with values in 0..1, {@code [1 * 28 * 28]}. */
  public static double[] pixels(long seed) {
    Random random = new Random(seed);
    double[] pixels = new double[28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextDouble();
    }
    return pixels;
  }
}
