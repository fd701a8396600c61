package org.byov.inference.batching;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.byov.core.nn.Parameter;
import org.byov.inference.models.InputContract;
import org.byov.inference.models.ServingModel;
import org.byov.inference.models.ServingNetwork;
import org.byov.inference.web.InferenceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that runs DJL for requests (NDManager is not thread-safe). Requests wait in a
 * bounded queue; the thread takes the first, merges requests that arrive within {@code maxDelay}
 * and no more than {@code arrivalGap} apart, up to {@code maxBatchImages} images, runs the trunk
 * once per image and the Bayesian tail S times per image, and completes each request's future
 * with its embedding samples.
 */
public final class InferenceEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InferenceEngine.class);

  private final BatchingProperties settings;
  private final BlockingQueue<InferenceJob> queue;
  private final DistributionSummary batchSize;
  private final Thread thread;
  private final NDManager manager;
  private volatile boolean running = true;

  public InferenceEngine(BatchingProperties settings, MeterRegistry meterRegistry) {
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.manager = NDManager.newBaseManager(device(settings.device()));
    this.batchSize = DistributionSummary.builder("byov.inference.batch.size")
        .description("Images per micro-batch")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
        .register(meterRegistry);
    Gauge.builder("byov.inference.queue.depth", queue, BlockingQueue::size)
        .description("Requests waiting for the inference thread")
        .register(meterRegistry);
    this.thread = new Thread(this::run, "byov-inference");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Returns the DJL device for {@code cpu} or {@code gpu}. */
  public static Device device(String name) {
    return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "cpu" -> Device.cpu();
      case "gpu" -> Device.gpu();
      default -> throw new IllegalArgumentException(
          "Invalid device '" + name + "': use cpu or gpu (BYOV_DEVICE)");
    };
  }

  /**
   * Queues {@code job}; its future completes on the inference thread.
   *
   * @throws InferenceProblem 503 with Retry-After when the queue is full
   */
  public void submit(InferenceJob job) {
    if (!running) {
      throw InferenceProblem.unavailable("The inference engine is shutting down", 5);
    }
    if (!queue.offer(job)) {
      throw InferenceProblem.unavailable("The inference queue is full ("
          + settings.queueCapacity() + " requests); retry after the Retry-After delay", 1);
    }
  }

  public int queueDepth() {
    return queue.size();
  }

  private void run() {
    while (running) {
      List<InferenceJob> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (batch.isEmpty()) {
        continue;
      }
      batchSize.record(batch.stream().mapToInt(job -> job.images().length).sum());
      runBatch(batch);
    }
    failRemaining();
  }

  /**
   * Takes the next job and merges queued jobs into it until the batch contains {@code maxBatchImages}
   * images, no job has joined for {@code arrivalGap}, or {@code maxDelay} has passed since the
   * first job was taken.
   */
  private List<InferenceJob> nextBatch() throws InterruptedException {
    List<InferenceJob> batch = new ArrayList<>();
    InferenceJob first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return batch;
    }
    batch.add(first);
    if (!settings.enabled()) {
      return batch;
    }
    int images = first.images().length;
    long lastArrival = System.nanoTime();
    long deadline = lastArrival + settings.maxDelay().toNanos();
    long gap = settings.arrivalGap().toNanos();
    while (images < settings.maxBatchImages()) {
      InferenceJob next = queue.poll();
      if (next == null) {
        long remaining = Math.min(deadline, lastArrival + gap) - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        next = queue.poll(remaining, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      lastArrival = System.nanoTime();
      batch.add(next);
      images += next.images().length;
    }
    return batch;
  }

  /** Runs jobs that share a model and a sample count together. */
  private void runBatch(List<InferenceJob> batch) {
    Map<List<Object>, List<InferenceJob>> groups = new LinkedHashMap<>();
    for (InferenceJob job : batch) {
      List<Object> key = List.of(job.model(), job.outputSamples(), job.meanPass());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(job);
    }
    for (List<InferenceJob> group : groups.values()) {
      try {
        completeAll(group, runGroup(group));
      } catch (RuntimeException e) {
        log.error("Inference failed for a micro-batch of {} requests on model {}", group.size(),
            group.get(0).model().info().name(), e);
        for (InferenceJob job : group) {
          job.result().completeExceptionally(e);
        }
      }
    }
  }

  private static void completeAll(List<InferenceJob> group, List<float[][][]> outputs) {
    for (int j = 0; j < group.size(); j++) {
      group.get(j).result().complete(outputs.get(j));
    }
  }

  /** Runs one group in chunks of images and returns each job's samples {@code [image][S][D]}. */
  private List<float[][][]> runGroup(List<InferenceJob> group) {
    InferenceJob head = group.get(0);
    int samples = head.outputSamples();
    ServingNetwork network = head.model().network();
    int dim = network.embeddingDim();

    List<float[][][]> outputs = new ArrayList<>();
    List<int[]> positions = new ArrayList<>();
    for (int j = 0; j < group.size(); j++) {
      InferenceJob job = group.get(j);
      outputs.add(new float[job.images().length][samples][dim]);
      for (int i = 0; i < job.images().length; i++) {
        positions.add(new int[] {j, i});
      }
    }

    int chunk = Math.max(1, Math.min(settings.maxBatchImages(), settings.maxTailRows() / samples));
    for (int start = 0; start < positions.size(); start += chunk) {
      List<int[]> part = positions.subList(start, Math.min(positions.size(), start + chunk));
      float[] flat = runChunk(group, part, samples);
      scatter(flat, part, outputs, samples, dim);
    }
    return outputs;
  }

  /** Returns embeddings {@code [S * n, D]} flattened, sample-major, for the n images of part. */
  private float[] runChunk(List<InferenceJob> group, List<int[]> part, int samples) {
    InferenceJob head = group.get(0);
    ServingNetwork network = head.model().network();
    InputContract contract = head.model().contract();
    int n = part.size();
    int pixels = contract.pixelCount();

    float[] input = new float[n * pixels];
    long[] seeds = new long[n];
    int[] indices = new int[n];
    float[][] noise = new float[n][];
    for (int p = 0; p < n; p++) {
      InferenceJob job = group.get(part.get(p)[0]);
      int image = part.get(p)[1];
      System.arraycopy(job.images()[image], 0, input, p * pixels, pixels);
      seeds[p] = job.seed();
      indices[p] = image;
      noise[p] = job.noise() == null ? null : job.noise()[image];
    }

    try (NDManager scope = manager.newSubManager()) {
      // Arrays derived from a parameter attach to the parameter's manager; attaching the
      // parameters to this scope for the call lets closing it free every intermediate array.
      for (Parameter parameter : network.store().all()) {
        parameter.array().tempAttach(scope);
      }
      NDArray images = scope.create(input,
          new Shape(n, contract.channels(), contract.height(), contract.width()));
      NDArray features = network.trunk(images);
      NDArray embeddings = head.meanPass()
          ? network.meanTail(features)
          : network.sampleTail(features, samples, seeds, indices, noise);
      return embeddings.toFloatArray();
    }
  }

  private static void scatter(float[] flat, List<int[]> part, List<float[][][]> outputs,
      int samples, int dim) {
    int n = part.size();
    for (int s = 0; s < samples; s++) {
      for (int p = 0; p < n; p++) {
        float[] target = outputs.get(part.get(p)[0])[part.get(p)[1]][s];
        System.arraycopy(flat, (s * n + p) * dim, target, 0, dim);
      }
    }
  }

  private void failRemaining() {
    InferenceJob job;
    while ((job = queue.poll()) != null) {
      job.result().completeExceptionally(
          InferenceProblem.unavailable("The inference engine stopped", 5));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    manager.close();
  }
}
