package org.byov.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.byov.core.metrics.EmbeddingVariance;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestModels;
import org.byov.inference.images.ContractConverterAccess;
import org.byov.inference.models.ServingModel;
import org.byov.inference.web.InferenceProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InferenceEngineTest {

  private InferenceEngine engine;

  @BeforeEach
  void start() {
    engine = new InferenceEngine(new BatchingProperties(true, 64, Duration.ofMillis(2),
        Duration.ofMillis(2), 64, 16384, "cpu"), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void scopeNoneHasExactlyZeroVariance() {
    ServingModel model = TestModels.model("plain", 1, BayesianScope.none(), 3);
    try {
      float[][][] samples = run(model, images(3), 16, 7);

      for (float[][] image : samples) {
        EmbeddingVariance variance = EmbeddingVariance.of(image);
        assertThat(variance.total()).isEqualTo(0.0);
        for (double value : variance.perDimension()) {
          assertThat(value).isEqualTo(0.0);
        }
      }
    } finally {
      model.release();
    }
  }

  @Test
  void varianceGrowsWithPosteriorSigma() {
    ServingModel model = TestModels.model("bayes", 1, BayesianScope.lastK(1), 3);
    try {
      float[][] images = images(4);
      double previous = 0;
      for (float sigma : new float[] {0.001f, 0.01f, 0.1f, 1f}) {
        TestModels.setSigma(model, sigma);
        double total = 0;
        for (float[][] image : run(model, images, 64, 11)) {
          total += EmbeddingVariance.of(image).total();
        }
        assertThat(total).as("total variance at sigma %s", sigma).isGreaterThan(previous);
        previous = total;
      }
    } finally {
      model.release();
    }
  }

  @Test
  void sameSeedGivesSameSamplesWhateverTheBatch() {
    ServingModel model = TestModels.model("bayes", 1, BayesianScope.lastK(1), 5);
    try {
      TestModels.setSigma(model, 0.05f);
      float[][] images = images(5);
      float[][][] alone = run(model, new float[][] {images[2]}, 8, 42);
      float[][][] together = run(model, images, 8, 42);

      // Image 2 alone has index 0 and so other noise; compare index 0 alone and in a batch.
      float[][][] first = run(model, new float[][] {images[0]}, 8, 42);
      for (int s = 0; s < 8; s++) {
        for (int d = 0; d < first[0][s].length; d++) {
          assertThat((double) together[0][s][d]).isCloseTo(first[0][s][d], within(1e-5));
        }
      }
      assertThat(alone[0][0]).isNotEqualTo(together[2][0]);
    } finally {
      model.release();
    }
  }

  /**
   * Small requests carry noise drawn by the calling thread; larger ones leave it to the inference
   * thread. Image 0 of a 40-image request at S = 32 (1,280 rows, above the limit) must get the
   * samples that the same image gets alone (32 rows), up to float rounding of the trunk.
   */
  @Test
  void callerAndInferenceThreadDrawTheSameNoise() {
    ServingModel model = TestModels.model("bayes", 1, BayesianScope.lastK(1), 5);
    try {
      TestModels.setSigma(model, 0.05f);
      float[][] images = images(40);
      InferenceJob alone = InferenceJob.sampled(model, new float[][] {images[0]}, 32, 9);
      InferenceJob large = InferenceJob.sampled(model, images, 32, 9);
      assertThat(alone.noise()).as("noise drawn by the caller").isNotNull();
      assertThat(large.noise()).as("noise left to the inference thread").isNull();
      engine.submit(alone);
      engine.submit(large);

      float[][] expected = alone.result().join()[0];
      float[][] actual = large.result().join()[0];
      for (int s = 0; s < 32; s++) {
        for (int d = 0; d < expected[s].length; d++) {
          assertThat((double) actual[s][d]).isCloseTo(expected[s][d], within(1e-5));
        }
      }
    } finally {
      model.release();
    }
  }

  /**
   * With a maximum delay of an hour, requests that arrive back to back within the arrival gap
   * (2 s) run as one micro-batch, and a micro-batch closes once the gap passes without a new
   * request, long before the maximum delay.
   */
  @Test
  void microBatchClosesWhenArrivalsStop() throws Exception {
    ServingModel model = TestModels.model("bayes", 1, BayesianScope.lastK(1), 5);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (InferenceEngine gapped = new InferenceEngine(new BatchingProperties(true, 64,
        Duration.ofHours(1), Duration.ofSeconds(2), 64, 16384, "cpu"), meters)) {
      List<InferenceJob> jobs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        jobs.add(InferenceJob.sampled(model, images(1), 4, i));
      }
      jobs.forEach(gapped::submit);
      for (InferenceJob job : jobs) {
        // Without the gap this would wait for the hour; the bound only stops a broken build.
        job.result().get(5, TimeUnit.MINUTES);
      }

      DistributionSummary batches = meters.get("byov.inference.batch.size").summary();
      assertThat(batches.count()).isEqualTo(1);
      assertThat(batches.totalAmount()).isEqualTo(8.0);
    } finally {
      model.release();
    }
  }

  @Test
  void fullQueueRejectsWithRetryAfter() {
    ServingModel model = TestModels.model("bayes", 1, BayesianScope.lastK(1), 5);
    try (InferenceEngine small = new InferenceEngine(new BatchingProperties(false, 64,
        Duration.ofMillis(2), Duration.ofMillis(2), 1, 16384, "cpu"), new SimpleMeterRegistry())) {
      // The first job (64 images, S = 256) keeps the thread busy for far longer than the next
      // submissions take, so with a queue of one, one of the two that follow is rejected.
      InferenceJob busy = InferenceJob.sampled(model, images(64), 256, 1);
      small.submit(busy);
      InferenceProblem rejected = null;
      for (int i = 0; i < 2 && rejected == null; i++) {
        try {
          small.submit(InferenceJob.sampled(model, images(1), 1, 1));
        } catch (InferenceProblem problem) {
          rejected = problem;
        }
      }

      assertThat(rejected).isNotNull();
      assertThat(rejected.status().value()).isEqualTo(503);
      assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
      busy.result().join();
    } finally {
      model.release();
    }
  }

  private float[][][] run(ServingModel model, float[][] images, int samples, long seed) {
    InferenceJob job = InferenceJob.sampled(model, images, samples, seed);
    engine.submit(job);
    return job.result().join();
  }

  private static float[][] images(int count) {
    float[][] images = new float[count][];
    for (int i = 0; i < count; i++) {
      images[i] = ContractConverterAccess.normalised(TestModels.pixels(i), TestModels.CONTRACT);
    }
    return images;
  }
}
