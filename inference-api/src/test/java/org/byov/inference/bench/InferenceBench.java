package org.byov.inference.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestModels;
import org.byov.inference.batching.BatchingProperties;
import org.byov.inference.batching.InferenceEngine;
import org.byov.inference.batching.InferenceJob;
import org.byov.inference.images.ContractConverterAccess;
import org.byov.inference.models.ServingModel;

/**
 * Benchmarks of the inference engine (the inference thread with micro-batching, without HTTP):
 * latency of S = 32 against a mean pass, throughput of 16 clients with micro-batching on and off,
 * and resident set size over 10,000 requests. Run with
 * {@code java -cp <test classpath> org.byov.inference.bench.InferenceBench [latency|throughput|rss]}.
 */
public final class InferenceBench {

  private static final int SAMPLES = 32;

  private InferenceBench() {}

  public static void main(String[] args) throws Exception {
    List<String> parts = args.length == 0 ? List.of("latency", "throughput", "rss")
        : Arrays.asList(args);
    ServingModel model = TestModels.model("bench", 1, BayesianScope.lastK(1), 1);
    TestModels.setSigma(model, 0.05f);
    if (parts.contains("latency")) {
      latency(model);
    }
    if (parts.contains("throughput")) {
      throughput(model);
    }
    if (parts.contains("rss")) {
      rss(model);
    }
    model.release();
  }

  /**
   * Measures the mean pass and the S = 32 pass in alternation, so that both see the same load
   * on a shared machine.
   */
  private static void latency(ServingModel model) {
    try (InferenceEngine engine = engine(true)) {
      for (int batch : new int[] {1, 64}) {
        float[][] images = images(batch);
        int iterations = batch == 1 ? 200 : 30;
        for (int i = 0; i < iterations / 4; i++) {
          run(engine, model, images, true, i);
          run(engine, model, images, false, i);
        }
        long[] meanNanos = new long[iterations];
        long[] sampledNanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
          meanNanos[i] = timed(engine, model, images, true, i);
          sampledNanos[i] = timed(engine, model, images, false, i);
        }
        report(batch, "mean pass", meanNanos);
        report(batch, "S=" + SAMPLES, sampledNanos);
      }
    }
  }

  private static long timed(InferenceEngine engine, ServingModel model, float[][] images,
      boolean mean, long seed) {
    long start = System.nanoTime();
    run(engine, model, images, mean, seed);
    return System.nanoTime() - start;
  }

  private static void report(int batch, String pass, long[] nanos) {
    Arrays.sort(nanos);
    int n = nanos.length;
    System.out.printf("latency images=%d %s: p50 %.2f ms, p99 %.2f ms (%d runs)%n", batch, pass,
        nanos[n / 2] / 1e6, nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6, n);
  }

  /**
   * Alternates rounds with micro-batching on and off ({@code byov.bench.rounds} of each, default
   * 5), so that both modes see the same machine, and reports every round and the median of the
   * per-round ratios. Each round has its own engine, as a deployment has one: a second engine
   * thread that has run PyTorch, even while idle, slowed the other engine by about a third here.
   */
  private static void throughput(ServingModel model) throws Exception {
    int perClient = Integer.getInteger("byov.bench.requests", 300);
    int rounds = Integer.getInteger("byov.bench.rounds", 5);
    double[] ratios = new double[rounds];
    double batchImages = 0;
    for (int r = 0; r < rounds; r++) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      double onRate = throughputRound(model, engine(true, meters), perClient);
      batchImages += meters.get("byov.inference.batch.size").summary().mean() / rounds;
      double offRate = throughputRound(model, engine(false, new SimpleMeterRegistry()), perClient);
      ratios[r] = onRate / offRate;
      System.out.printf("throughput round %d: on %.1f requests/s, off %.1f requests/s,"
          + " ratio %.2f%n", r + 1, onRate, offRate, ratios[r]);
    }
    Arrays.sort(ratios);
    System.out.printf("throughput: median ratio %.2f over %d rounds (16 clients x %d requests of 1"
        + " image, S=%d; mean micro-batch %.1f images)%n", ratios[rounds / 2], rounds, perClient,
        SAMPLES, batchImages);
  }

  /**
   * Runs an untimed round of a fifth of the size, so that the JIT and PyTorch's thread team are
   * warm, then the timed round; returns requests per second and closes {@code engine}.
   */
  private static double throughputRound(ServingModel model, InferenceEngine engine, int perClient)
      throws Exception {
    int clients = 16;
    try (engine) {
      float[][] image = images(1);
      concurrentRound(engine, model, image, clients, Math.max(1, perClient / 5));
      return clients * perClient / concurrentRound(engine, model, image, clients, perClient);
    }
  }

  /** Sends {@code perClient} requests from each of {@code clients} threads; returns the seconds. */
  private static double concurrentRound(InferenceEngine engine, ServingModel model,
      float[][] image, int clients, int perClient) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perClient; i++) {
            run(engine, model, image, false, client * perClient + i);
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdown();
    }
  }

  private static void rss(ServingModel model) throws Exception {
    int clients = 16;
    int total = 10_000;
    try (InferenceEngine engine = engine(true)) {
      float[][] image = images(1);
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(() -> {
          int request;
          while ((request = next.getAndIncrement()) < total) {
            run(engine, model, image, false, request);
            if ((request + 1) % 1000 == 0) {
              System.out.printf("rss after %d requests: %d MiB%n", request + 1, rssMiB());
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      pool.shutdown();
    }
  }

  private static long rssMiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private static float[][][] run(InferenceEngine engine, ServingModel model, float[][] images,
      boolean mean, long seed) {
    InferenceJob job = mean ? InferenceJob.mean(model, images)
        : InferenceJob.sampled(model, images, SAMPLES, seed);
    engine.submit(job);
    return job.result().join();
  }

  private static InferenceEngine engine(boolean batching) {
    return engine(batching, new SimpleMeterRegistry());
  }

  private static InferenceEngine engine(boolean batching, SimpleMeterRegistry meters) {
    Duration gap = Duration.parse(System.getProperty("byov.bench.arrival-gap", "PT0.0002S"));
    return new InferenceEngine(new BatchingProperties(batching, 64, Duration.ofMillis(2), gap, 64,
        16384, "cpu"), meters);
  }

  private static float[][] images(int count) {
    float[][] images = new float[count][];
    for (int i = 0; i < count; i++) {
      images[i] = ContractConverterAccess.normalised(TestModels.pixels(i), TestModels.CONTRACT);
    }
    return images;
  }
}
