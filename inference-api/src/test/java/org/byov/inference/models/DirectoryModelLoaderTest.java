package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.byov.core.data.ImageSet;
import org.byov.core.model.TrainedModel;
import org.byov.core.nn.BayesianScope;
import org.byov.core.train.TrainingRun;
import org.byov.inference.batching.BatchingProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryModelLoaderTest {

  /** Test-set images and request seed of the classifier comparisons. */
  private static final int[] IMAGES = {0, 1, 2};
  private static final long SEED = 17;

  @TempDir
  static Path temporary;
  static Path modelDirectory;

  private final DirectoryModelLoader loader = new DirectoryModelLoader(
      new BatchingProperties(true, 64, Duration.ofMillis(2),
          Duration.ofMillis(2), 64, 16384, "cpu"));

  @BeforeAll
  static void export() throws IOException {
    modelDirectory = ExportedModels.export(temporary.resolve("model"));
  }

  /** The reference is byov-core's TrainedModel, which loads the same directory its own way. */
  @Test
  void loadedModelMatchesCoreModel() throws Exception {
    ImageSet images = ExportedModels.fashionMnistTest();
    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("local", 0, modelDirectory.toUri().toString(), null),
        modelDirectory, null, null));
    try (TrainedModel reference = TrainedModel.load(modelDirectory);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray normalised = reference.normalise(manager, images, new int[] {0, 1, 2});
      float[] expected = reference.meanEmbeddings(reference.trunkFeatures(normalised))
          .toFloatArray();
      float[] actual = served.network().meanTail(served.network().trunk(normalised))
          .toFloatArray();

      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
      }
      assertThat(served.contract().classNames()).isEqualTo(images.classNames());
      assertThat(served.contract().std().get(0))
          .isEqualTo(reference.inputContract().std()[0]);
      assertThat(served.network().bayesianLayers()).hasSize(1);
      assertThat(served.head()).isNull();
    } finally {
      served.release();
    }
  }

  @Test
  void corruptDirectoryIsRejected() throws IOException {
    Path corrupt = temporary.resolve("corrupt");
    Files.createDirectories(corrupt);
    try (var files = Files.list(modelDirectory)) {
      for (Path file : files.toList()) {
        Files.copy(file, corrupt.resolve(file.getFileName()));
      }
    }
    Path weights = corrupt.resolve(TrainingRun.MODEL_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(weights, bytes);

    assertThatThrownBy(() -> loader.load(new ModelSource(
        new ModelVersionInfo("local", 0, corrupt.toUri().toString(), null), corrupt, null, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(TrainingRun.MODEL_FILE);
  }

  @Test
  void registryShapeMismatchIsRejected() {
    InputContract rgb = new InputContract(3, 32, 32, null, null, null);

    assertThatThrownBy(() -> loader.load(new ModelSource(
        new ModelVersionInfo("m", 1, "x", null), modelDirectory, rgb, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("3x32x32");
  }

  /**
   * Scope none: the classifier of a supervised-bbb model is deterministic, so the served
   * probabilities equal the softmax of byov-core's TrainedModel logits, up to float rounding of
   * the 256-wide dot products (about 1e-7 relative).
   */
  @Test
  void deterministicClassifierMatchesCoreModel() throws Exception {
    Path directory = ExportedModels.exportSupervised(temporary.resolve("supervised-none"),
        BayesianScope.Kind.NONE, 0);
    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("supervised", 1, directory.toUri().toString(), null), directory,
        null, null));
    try (TrainedModel reference = TrainedModel.load(directory);
        NDManager manager = NDManager.newBaseManager()) {
      ClassifierHead head = (ClassifierHead) served.head();
      assertThat(head.bayesian()).isFalse();
      NDArray normalised = reference.normalise(manager, ExportedModels.fashionMnistTest(),
          IMAGES);
      float[][][] samples = servedSamples(served, normalised, 1);
      float[] logits = reference.sampleLogits(reference.trunkFeatures(normalised), 1, SEED)
          .toFloatArray();

      for (int i = 0; i < IMAGES.length; i++) {
        double[] expected = softmax(logits, i * 10, 10);
        double[] actual = head.probabilities(samples[i], SEED, i)[0];
        for (int k = 0; k < 10; k++) {
          assertThat(actual[k]).as("image %d class %d", i, k).isCloseTo(expected[k],
              within(1e-5));
        }
      }
    } finally {
      served.release();
    }
  }

  /**
   * Scope last-1 with sigma 0.05: the served head samples the classifier by local
   * reparameterisation, while byov-core samples whole weight matrices. Both estimate the same
   * predictive distribution per image from S = 256 samples, so their mean probabilities must
   * agree within 5 standard errors, sqrt(var_a / S + var_b / S). The standard deviations across
   * samples must agree within 30%, about 5 times the relative standard error of a standard
   * deviation from 256 samples (1 / sqrt(2 S) = 4.4% for each of the two).
   */
  @Test
  void bayesianClassifierMatchesCoreMonteCarlo() throws Exception {
    Path directory = ExportedModels.exportSupervised(temporary.resolve("supervised-last1"),
        BayesianScope.Kind.LAST_K, 0.05);
    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("supervised", 1, directory.toUri().toString(), null), directory,
        null, null));
    int samples = 256;
    try (TrainedModel reference = TrainedModel.load(directory);
        NDManager manager = NDManager.newBaseManager()) {
      ClassifierHead head = (ClassifierHead) served.head();
      assertThat(head.bayesian()).isTrue();
      NDArray normalised = reference.normalise(manager, ExportedModels.fashionMnistTest(),
          IMAGES);
      float[][][] embeddingSamples = servedSamples(served, normalised, samples);
      float[] logits = reference.sampleLogits(reference.trunkFeatures(normalised), samples, SEED)
          .toFloatArray();

      for (int i = 0; i < IMAGES.length; i++) {
        double[][] actual = head.probabilities(embeddingSamples[i], SEED, i);
        double[][] expected = new double[samples][];
        for (int s = 0; s < samples; s++) {
          expected[s] = softmax(logits, (s * IMAGES.length + i) * 10, 10);
        }
        for (int k = 0; k < 10; k++) {
          double[] servedColumn = column(actual, k);
          double[] coreColumn = column(expected, k);
          double standardError = Math.sqrt(variance(servedColumn) / samples
              + variance(coreColumn) / samples);
          assertThat(mean(servedColumn)).as("image %d class %d mean", i, k)
              .isCloseTo(mean(coreColumn), within(5 * standardError + 1e-9));
          double coreDeviation = Math.sqrt(variance(coreColumn));
          assertThat(Math.sqrt(variance(servedColumn)))
              .as("image %d class %d standard deviation", i, k)
              .isCloseTo(coreDeviation, within(0.3 * coreDeviation + 1e-9));
        }
      }
    } finally {
      served.release();
    }
  }

  @Test
  void classifierIsPreferredToProbeFile() throws Exception {
    Path directory = ExportedModels.exportSupervised(temporary.resolve("supervised-probe"),
        BayesianScope.Kind.LAST_K, 0.05);
    Path probe = ExportedModels.writeProbe(temporary.resolve("probe.json"));

    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("supervised", 1, directory.toUri().toString(), null), directory,
        null, probe));

    assertThat(served.head()).isInstanceOf(ClassifierHead.class);
    served.release();
  }

  /** Returns the served embedding samples {@code [image][S][D]} of {@code normalised}. */
  private static float[][][] servedSamples(ServingModel served, NDArray normalised, int samples) {
    int batch = IMAGES.length;
    long[] seeds = new long[batch];
    int[] indices = new int[batch];
    for (int i = 0; i < batch; i++) {
      seeds[i] = SEED;
      indices[i] = i;
    }
    ServingNetwork network = served.network();
    float[] flat = network.sampleTail(network.trunk(normalised), samples, seeds, indices)
        .toFloatArray();
    int dim = network.embeddingDim();
    float[][][] result = new float[batch][samples][dim];
    for (int s = 0; s < samples; s++) {
      for (int i = 0; i < batch; i++) {
        System.arraycopy(flat, (s * batch + i) * dim, result[i][s], 0, dim);
      }
    }
    return result;
  }

  private static double[] softmax(float[] logits, int offset, int classes) {
    double[] values = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      max = Math.max(max, logits[offset + k]);
    }
    double total = 0;
    for (int k = 0; k < classes; k++) {
      values[k] = Math.exp(logits[offset + k] - max);
      total += values[k];
    }
    for (int k = 0; k < classes; k++) {
      values[k] /= total;
    }
    return values;
  }

  private static double[] column(double[][] rows, int k) {
    double[] values = new double[rows.length];
    for (int s = 0; s < rows.length; s++) {
      values[s] = rows[s][k];
    }
    return values;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  private static double variance(double[] values) {
    double mean = mean(values);
    double sum = 0;
    for (double value : values) {
      sum += (value - mean) * (value - mean);
    }
    return sum / (values.length - 1);
  }
}
