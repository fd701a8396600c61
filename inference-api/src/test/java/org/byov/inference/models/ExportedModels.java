package org.byov.inference.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.byov.core.bayes.PriorKind;
import org.byov.core.checkpoint.CheckpointData;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianScope;
import org.byov.core.probe.LinearProbe;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.train.Method;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;

/**
 * Model directories written with byov-core's own API: untrained (randomly initialised) models of
 * the default CNN, exported as a training run exports its final model.
 */
public final class ExportedModels {

  private ExportedModels() {}

  /** Returns the installed Fashion-MNIST test split. */
  public static ImageSet fashionMnistTest() throws IOException {
    return DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TEST);
  }

  /** Exports an untrained default-scope BYOV model to {@code directory}. */
  public static Path export(Path directory) throws IOException {
    return export(directory, TrainingSpec.builder().build().seed());
  }

  /**
   * Exports an untrained default-scope BYOV model whose initial weights come from {@code seed},
   * so that models of different seeds give different embeddings. Its BatchNorms get random scale,
   * shift and running statistics, because the initial ones are the identity map, which would hide
   * a serving network that ignored or mis-folded them.
   */
  public static Path export(Path directory, long seed) throws IOException {
    ImageSet images = fashionMnistTest();
    TrainingSpec spec = TrainingSpec.builder().trainSubset(64).batchSize(32).epochs(1).seed(seed)
        .build();
    Path untrained = directory.resolveSibling(directory.getFileName() + "-untrained");
    try (TrainingRun run = TrainingRun.create(spec, images,
        new CropFlipAugmenter(Normalization.of(images), 2))) {
      run.exportModel(untrained);
    }
    CheckpointData data = CheckpointIo.read(untrained);
    Map<String, Tensor> tensors = new LinkedHashMap<>(data.tensors(TrainingRun.MODEL_FILE));
    randomiseNorms(tensors, seed);
    CheckpointIo.write(directory, data.manifest(), Map.of(TrainingRun.MODEL_FILE, tensors));
    return directory;
  }

  /** Replaces every BatchNorm tensor with random values that keep the variances positive. */
  private static void randomiseNorms(Map<String, Tensor> tensors, long seed) {
    Random random = new Random(seed);
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      String name = entry.getKey();
      Tensor tensor = entry.getValue();
      float[] values = new float[tensor.values().length];
      for (int i = 0; i < values.length; i++) {
        if (name.endsWith(".norm.gamma")) {
          values[i] = (float) (0.5 + random.nextDouble());
        } else if (name.endsWith(".norm.beta")) {
          values[i] = (float) (0.2 * random.nextGaussian());
        } else if (name.endsWith(".norm.runningMean")) {
          values[i] = (float) (0.3 * random.nextGaussian());
        } else if (name.endsWith(".norm.runningVariance")) {
          values[i] = (float) (0.5 + 1.5 * random.nextDouble());
        } else {
          values = null;
          break;
        }
      }
      if (values != null) {
        entry.setValue(new Tensor(tensor.shape(), values));
      }
    }
  }

  /**
   * Exports an untrained {@code supervised-bbb} model of the default CNN with its 10-class
   * classifier, then rewrites it with every posterior sigma set to {@code sigma}, classifier
   * biases of 0.3 k for class k and random BatchNorms, so that the Monte Carlo spread and the bias
   * are not negligible.
   */
  public static Path exportSupervised(Path directory, BayesianScope.Kind scope, double sigma)
      throws IOException {
    ImageSet images = fashionMnistTest();
    TrainingSpec spec = TrainingSpec.builder().method(Method.SUPERVISED_BBB).bayesianScope(scope)
        .prior(PriorKind.STANDARD_NORMAL).trainSubset(64).batchSize(32).epochs(1).build();
    Path untrained = directory.resolveSibling(directory.getFileName() + "-untrained");
    try (TrainingRun run = TrainingRun.create(spec, images,
        new CropFlipAugmenter(Normalization.of(images), 2))) {
      run.exportModel(untrained);
    }

    CheckpointData data = CheckpointIo.read(untrained);
    Map<String, Tensor> tensors = new LinkedHashMap<>(data.tensors(TrainingRun.MODEL_FILE));
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor tensor = entry.getValue();
      if (entry.getKey().endsWith(".sigma")) {
        float[] values = new float[tensor.values().length];
        Arrays.fill(values, (float) sigma);
        entry.setValue(new Tensor(tensor.shape(), values));
      }
    }
    float[] bias = new float[10];
    for (int k = 0; k < bias.length; k++) {
      bias[k] = 0.3f * k;
    }
    tensors.put("classifier.bias", new Tensor(new long[] {10}, bias));
    randomiseNorms(tensors, 3);
    CheckpointIo.write(directory, data.manifest(), Map.of(TrainingRun.MODEL_FILE, tensors));
    return directory;
  }

  /** Writes a 10-class linear probe fitted on random 256-dimensional features to {@code file}. */
  public static Path writeProbe(Path file) throws IOException {
    Random random = new Random(4);
    float[][] features = new float[200][256];
    int[] labels = new int[200];
    for (int i = 0; i < features.length; i++) {
      labels[i] = i % 10;
      for (int d = 0; d < 256; d++) {
        features[i][d] = (float) random.nextGaussian() + (d % 10 == labels[i] ? 1f : 0f);
      }
    }
    LinearProbe.train(features, labels, 10, LinearProbe.Options.defaults()).save(file);
    return file;
  }
}
