package org.byov.core.eval.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.junit.jupiter.api.Test;

class MonteCarloPredictorTest {

  private static final ImageShape MNIST = new ImageShape(1, 28, 28);
  private static final double[] MEAN = {0.5};
  private static final double[] STD = {0.25};

  @Test
  void scopeNoneGivesIdenticalSamplesAndZeroVariance() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = encoderNetwork(manager, BayesianScope.none())) {
      ImageSource images = ImageSource.of(randomImages(6, 1), MEAN, STD);
      MonteCarloPredictor predictor = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(4, 7, 4));
      PredictionHead head = randomHead(3, 256, 2);

      MonteCarloPrediction prediction = predictor.predict(manager,
          predictor.trunk(manager, images), head, true);

      for (int i = 0; i < 6; i++) {
        assertThat(prediction.embeddingTotalVariance()[i]).isEqualTo(0.0);
        assertThat(prediction.predictiveStd()[i]).isEqualTo(0.0);
        assertThat(prediction.mutualInformation()[i]).isCloseTo(0.0, within(1e-12));
        for (int s = 1; s < 4; s++) {
          assertThat(prediction.sampleProbabilities()[s][i])
              .containsExactly(prediction.sampleProbabilities()[0][i]);
        }
      }
    }
  }

  @Test
  void deterministicProbabilitiesMatchSoftmaxOfMeanPass() {
    // Reference: the embedding of a plain posterior-mean forward pass, with the linear head and
    // the softmax computed by hand in Java.
    try (NDManager manager = NDManager.newBaseManager();
        Network network = encoderNetwork(manager, BayesianScope.none())) {
      ImageSet set = randomImages(3, 2);
      double[][] weights = randomMatrix(4, 256, 3);
      double[] bias = {0.1, -0.2, 0.3, 0.0};
      MonteCarloPredictor predictor = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(2, 1, 2));

      MonteCarloPrediction prediction = predictor.predict(manager, ImageSource.of(set, MEAN, STD),
          PredictionHead.linear(weights, bias));

      float[] pixels = ImageSource.of(set, MEAN, STD).normalised(0, 3);
      NDArray embedding = network.encoder().forward(manager.create(pixels, new Shape(3, 1, 28, 28)),
          ForwardPass.inferenceMean());
      float[] flat = embedding.toFloatArray();
      for (int i = 0; i < 3; i++) {
        double[] logits = new double[4];
        for (int k = 0; k < 4; k++) {
          logits[k] = bias[k];
          for (int d = 0; d < 256; d++) {
            logits[k] += weights[k][d] * flat[i * 256 + d];
          }
        }
        double[] expected = softmax(logits);
        for (int k = 0; k < 4; k++) {
          assertThat(prediction.meanProbabilities()[i][k]).isCloseTo(expected[k], within(1e-5));
        }
        assertThat(prediction.meanEmbeddings()[i][7]).isCloseTo(flat[i * 256 + 7], within(1e-5f));
      }
    }
  }

  @Test
  void bayesianTailAggregatesMatchKeptSamples() {
    // Reference: the mean, the predicted-class std and the embedding variance recomputed from the
    // kept per-sample values in plain Java.
    try (NDManager manager = NDManager.newBaseManager();
        Network network = encoderNetwork(manager, BayesianScope.lastK(1))) {
      scaleSigma(network, 0.05f);
      ImageSource images = ImageSource.of(randomImages(5, 3), MEAN, STD);
      MonteCarloPredictor predictor = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(6, 11, 2));
      TrunkFeatures features = predictor.trunk(manager, images);

      MonteCarloPrediction prediction = predictor.predict(manager, features,
          randomHead(3, 256, 4), true);
      MonteCarloEmbeddings embeddings = predictor.embed(manager, features);

      double[][][] kept = prediction.sampleProbabilities();
      for (int i = 0; i < 5; i++) {
        assertThat(prediction.embeddingTotalVariance()[i]).isPositive();
        assertThat(embeddings.totalVariance()[i])
            .isCloseTo(prediction.embeddingTotalVariance()[i], within(1e-9));
        int predicted = argmax(prediction.meanProbabilities()[i]);
        double sum = 0;
        for (int s = 0; s < 6; s++) {
          sum += kept[s][i][predicted];
        }
        double mean = sum / 6;
        double squares = 0;
        for (int s = 0; s < 6; s++) {
          squares += Math.pow(kept[s][i][predicted] - mean, 2);
        }
        assertThat(prediction.meanProbabilities()[i][predicted]).isCloseTo(mean, within(1e-12));
        assertThat(prediction.predictiveStd()[i]).isCloseTo(Math.sqrt(squares / 6), within(1e-9));
      }
      assertThat(kept[0][0]).isNotEqualTo(kept[1][0]);
    }
  }

  @Test
  void batchSizeDoesNotChangeResults() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = encoderNetwork(manager, BayesianScope.lastK(1))) {
      scaleSigma(network, 0.05f);
      ImageSource images = ImageSource.of(randomImages(5, 4), MEAN, STD);
      PredictionHead head = randomHead(3, 256, 5);

      MonteCarloPrediction whole = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(3, 2, 5)).predict(manager, images, head);
      MonteCarloPrediction split = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(3, 2, 2)).predict(manager, images, head);

      for (int i = 0; i < 5; i++) {
        for (int k = 0; k < 3; k++) {
          assertThat(split.meanProbabilities()[i][k])
              .isCloseTo(whole.meanProbabilities()[i][k], within(1e-6));
        }
      }
    }
  }

  @Test
  void keepingTooManySamplesIsRejected() {
    try (NDManager manager = NDManager.newBaseManager();
        Network network = encoderNetwork(manager, BayesianScope.none())) {
      MonteCarloPredictor predictor = new MonteCarloPredictor(network.encoder(),
          new MonteCarloPredictor.Options(1024, 0, 8));
      TrunkFeatures huge = new TrunkFeatures(new float[100_000 * 1], 100_000, new long[] {1});

      assertThatThrownBy(() -> predictor.predict(manager, huge, randomHead(10, 1, 1), true))
          .hasMessageContaining("exceeds the limit");
    }
  }

  private static Network encoderNetwork(NDManager manager, BayesianScope scope) {
    return Network.build(manager, new NetworkLayout("cnn", MNIST, scope, 0),
        Network.Heads.ENCODER, LayerFactory.Kind.FROZEN, 3);
  }

  /** Sets every sigma of the Bayesian layers, so that samples differ visibly. */
  private static void scaleSigma(Network network, float sigma) {
    network.bayesianLayers().forEach(layer -> {
      float[] values = new float[(int) layer.weightCount()];
      java.util.Arrays.fill(values, sigma);
      layer.sigma().assign(values);
    });
  }

  private static ImageSet randomImages(int count, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 28 * 28];
    random.nextBytes(pixels);
    int[] labels = new int[count];
    return new ImageSet("random", count, 1, 28, 28, pixels, labels, List.of("a", "b"), "none");
  }

  private static PredictionHead randomHead(int classes, int dimension, long seed) {
    return PredictionHead.linear(randomMatrix(classes, dimension, seed), new double[classes]);
  }

  private static double[][] randomMatrix(int rows, int columns, long seed) {
    Random random = new Random(seed);
    double[][] matrix = new double[rows][columns];
    for (double[] row : matrix) {
      for (int j = 0; j < columns; j++) {
        row[j] = random.nextGaussian() * 0.1;
      }
    }
    return matrix;
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double value : logits) {
      max = Math.max(max, value);
    }
    double sum = 0;
    double[] result = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      result[k] = Math.exp(logits[k] - max);
      sum += result[k];
    }
    for (int k = 0; k < logits.length; k++) {
      result[k] /= sum;
    }
    return result;
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }
}
