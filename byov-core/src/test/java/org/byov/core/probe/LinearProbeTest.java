package org.byov.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearProbeTest {

  @Test
  void separableClustersReachFullAccuracy() {
    // Four Gaussian clusters (std 0.3) around centres 10 apart in 8 dimensions are linearly
    // separable with overwhelming probability; the check below confirms it for this seed.
    SplittableRandom random = new SplittableRandom(7);
    int classes = 4;
    int perClass = 200;
    double[][] features = new double[classes * perClass][8];
    int[] labels = new int[features.length];
    for (int i = 0; i < features.length; i++) {
      labels[i] = i % classes;
      for (int d = 0; d < 8; d++) {
        double centre = d == labels[i] ? 10 : 0;
        features[i][d] = centre + 0.3 * random.nextGaussian();
      }
    }

    LinearProbe probe = LinearProbe.train(features, labels, classes, LinearProbe.Options.defaults());

    assertThat(probe.accuracy(features, labels)).isEqualTo(1.0);
    assertThat(probe.grid()).hasSize(5);
    assertThat(probe.grid()).allSatisfy(point -> assertThat(point.validationAccuracy()).isEqualTo(1.0));
    // Equal validation accuracy keeps the first, strongest, L2 strength.
    assertThat(probe.l2()).isEqualTo(1e-2);
  }

  @Test
  void saturatedModelReproducesClassFrequencies() {
    // Hand reference: with one binary feature, an intercept and no regularisation, the model can
    // set any logits for each feature value, so the maximum-likelihood probabilities are the
    // class frequencies of each group: x = 0 has classes [3, 2, 1] of 6, x = 1 has [1, 1, 4].
    int[] labels = {0, 0, 0, 1, 1, 2, 0, 1, 2, 2, 2, 2};
    double[][] features = new double[12][1];
    for (int i = 6; i < 12; i++) {
      features[i][0] = 1;
    }
    LinearProbe.Options options = new LinearProbe.Options(List.of(0.0), 0.1, 0, 2000, 1e-10, 1);

    LinearProbe probe = LinearProbe.fit(features, labels, 3, 0.0, options);
    double[][] probabilities =
        probe.predictProbabilities(new double[][] {{0}, {1}});

    assertThat(probe.fitSummary().converged()).isTrue();
    assertThat(probabilities[0]).containsExactly(new double[] {3 / 6.0, 2 / 6.0, 1 / 6.0},
        within(1e-7));
    assertThat(probabilities[1]).containsExactly(new double[] {1 / 6.0, 1 / 6.0, 4 / 6.0},
        within(1e-7));
  }

  @Test
  void matchesScipyReference() {
    // Independent reference: src/test/resources/reference/linear_probe_reference.py minimises the
    // same objective (standardised features, mean loss, l2 = 0.1 on W only) with scipy's L-BFGS-B.
    double[][] features = {{0.0, 1.0}, {1.0, 0.5}, {2.0, 2.5}, {0.5, 3.0}, {3.0, 0.0},
        {2.5, 1.5}, {1.5, 2.0}, {0.2, 0.1}, {2.8, 2.9}, {1.1, 1.2}, {0.3, 2.2}, {2.2, 0.4}};
    int[] labels = {0, 0, 2, 1, 2, 2, 1, 0, 2, 1, 1, 0};
    double[][] expected = {
        {0.86716266, 0.12049695, 0.01234039},
        {0.2161629, 0.58896879, 0.19486831},
        {0.11179382, 0.07664301, 0.81156316},
        {0.28979772, 0.38760165, 0.32260062}};
    LinearProbe.Options options = new LinearProbe.Options(List.of(0.1), 0.1, 0, 1000, 1e-10, 1);

    LinearProbe probe = LinearProbe.fit(features, labels, 3, 0.1, options);
    double[][] probabilities = probe.predictProbabilities(
        new double[][] {{0.0, 0.0}, {1.0, 2.0}, {3.0, 1.0}, {1.5, 1.5}});

    for (int i = 0; i < expected.length; i++) {
      assertThat(probabilities[i]).containsExactly(expected[i], within(2e-6));
    }
  }

  @Test
  void threadCountDoesNotChangeResult() {
    Problem problem = Problem.noisy(3000, 16, 5, 11);

    LinearProbe single = LinearProbe.train(problem.features, problem.labels, 5,
        LinearProbe.Options.defaults().withThreads(1));
    LinearProbe multi = LinearProbe.train(problem.features, problem.labels, 5,
        LinearProbe.Options.defaults().withThreads(2));

    assertThat(multi.bias()).containsExactly(single.bias());
    for (int k = 0; k < 5; k++) {
      assertThat(multi.weights()[k]).containsExactly(single.weights()[k]);
    }
  }

  @Test
  void foldedWeightsApplyToRawEmbeddings() {
    // The head W x + b on raw features must give the probabilities predictProbabilities gives.
    Problem problem = Problem.noisy(500, 6, 3, 3);
    LinearProbe probe =
        LinearProbe.train(problem.features, problem.labels, 3, LinearProbe.Options.defaults());
    double[][] weights = probe.weights();
    double[] bias = probe.bias();

    float[] embedding = problem.features[17];
    double[] logits = new double[3];
    for (int k = 0; k < 3; k++) {
      logits[k] = bias[k];
      for (int d = 0; d < 6; d++) {
        logits[k] += weights[k][d] * embedding[d];
      }
    }

    assertThat(LinearProbe.softmax(logits)).containsExactly(
        probe.predictProbabilities(new float[][] {embedding})[0], within(1e-12));
  }

  @Test
  void saveAndLoadRoundTrip(@TempDir Path directory) throws IOException {
    Problem problem = Problem.noisy(400, 5, 3, 5);
    LinearProbe probe =
        LinearProbe.train(problem.features, problem.labels, 3, LinearProbe.Options.defaults());
    Path file = directory.resolve("probe.json");

    probe.save(file);
    LinearProbe loaded = LinearProbe.load(file);

    assertThat(Files.readString(file)).contains("\"version\" : 1");
    assertThat(loaded.bias()).containsExactly(probe.bias());
    for (int k = 0; k < 3; k++) {
      assertThat(loaded.weights()[k]).containsExactly(probe.weights()[k]);
    }
    assertThat(loaded.l2()).isEqualTo(probe.l2());
    assertThat(loaded.grid()).isEqualTo(probe.grid());
    assertThat(loaded.accuracy(problem.features, problem.labels))
        .isEqualTo(probe.accuracy(problem.features, problem.labels));
  }

  @Test
  void loadRejectsOtherVersion(@TempDir Path directory) throws IOException {
    Path file = directory.resolve("probe.json");
    Files.writeString(file, "{\"format\":\"byov-linear-probe\",\"version\":2,\"classes\":2,"
        + "\"dimension\":1,\"l2\":0,\"weights\":[[1],[2]],\"bias\":[0,0]}");

    assertThatThrownBy(() -> LinearProbe.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void invalidLabelIsRejected() {
    assertThatThrownBy(() -> LinearProbe.train(new double[][] {{1}, {2}, {3}}, new int[] {0, 1, 3},
            2, LinearProbe.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels[2] = 3");
  }

  /** Overlapping Gaussian classes, so that the regularisation matters. */
  private record Problem(float[][] features, int[] labels) {
    static Problem noisy(int count, int dimension, int classes, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      double[][] centres = new double[classes][dimension];
      for (double[] centre : centres) {
        for (int d = 0; d < dimension; d++) {
          centre[d] = random.nextGaussian();
        }
      }
      float[][] features = new float[count][dimension];
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = random.nextInt(classes);
        for (int d = 0; d < dimension; d++) {
          features[i][d] = (float) (3 * centres[labels[i]][d] + 2 * random.nextGaussian() + 5);
        }
      }
      return new Problem(features, labels);
    }
  }
}
