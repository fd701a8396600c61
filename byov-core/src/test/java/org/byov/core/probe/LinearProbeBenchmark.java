package org.byov.core.probe;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Times {@link LinearProbe#train} on 60,000 x 256 features: Fashion-MNIST training images
 * average-pooled to 7x7, passed through a fixed random projection 49 -> 256 and a ReLU (a cheap
 * stand-in for a random encoder's embeddings), then reports test accuracy on the 10,000 test
 * images. Only the probe's training is timed.
 *
 * <p>Run from the repository root after {@code mvn -pl byov-core test-compile}:
 * {@code java -cp byov-core/target/test-classes:byov-core/target/classes:$(cat CLASSPATH_FILE)
 * org.byov.core.probe.LinearProbeBenchmark [threads]}. The data root is {@code BYOV_DATA_ROOT},
 * default {@code ~/.byov/datasets}.
 */
public final class LinearProbeBenchmark {

  private static final int DIMENSION = 256;
  private static final int POOLED = 7;

  private LinearProbeBenchmark() {}

  public static void main(String[] args) throws IOException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String root = System.getenv().getOrDefault(
        "BYOV_DATA_ROOT", System.getProperty("user.home") + "/.byov/datasets");
    Path directory = Path.of(root, "fashion-mnist");

    float[][] trainPixels = readImages(directory.resolve("train-images-idx3-ubyte.gz"));
    int[] trainLabels = readLabels(directory.resolve("train-labels-idx1-ubyte.gz"));
    float[][] testPixels = readImages(directory.resolve("t10k-images-idx3-ubyte.gz"));
    int[] testLabels = readLabels(directory.resolve("t10k-labels-idx1-ubyte.gz"));
    double[][] projection = randomProjection(POOLED * POOLED, DIMENSION, 1234);
    float[][] train = embed(trainPixels, projection);
    float[][] test = embed(testPixels, projection);

    LinearProbe.Options options = LinearProbe.Options.defaults().withThreads(threads);
    double cpuStart = processCpuSeconds();
    long start = System.nanoTime();
    LinearProbe probe = LinearProbe.train(train, trainLabels, 10, options);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = processCpuSeconds() - cpuStart;

    System.out.printf("features %d x %d, threads %d%n", train.length, DIMENSION, threads);
    System.out.printf("train time %.1f s wall, %.1f s CPU (all threads of the process)%n",
        seconds, cpuSeconds);
    for (LinearProbe.GridPoint point : probe.grid()) {
      System.out.printf("  l2 %.0e: validation accuracy %.4f, %d iterations%n",
          point.l2(), point.validationAccuracy(), point.iterations());
    }
    System.out.printf("chosen l2 %.0e, final fit %s%n", probe.l2(), probe.fitSummary());
    System.out.printf("test accuracy %.4f%n", probe.accuracy(test, testLabels));
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  private static float[][] embed(float[][] pixels, double[][] projection) {
    float[][] embeddings = new float[pixels.length][DIMENSION];
    for (int i = 0; i < pixels.length; i++) {
      double[] pooled = pool(pixels[i]);
      for (int j = 0; j < DIMENSION; j++) {
        double sum = 0;
        for (int p = 0; p < pooled.length; p++) {
          sum += projection[j][p] * pooled[p];
        }
        embeddings[i][j] = (float) Math.max(0, sum);
      }
    }
    return embeddings;
  }

  /** Averages 4x4 blocks of a 28x28 image into 7x7. */
  private static double[] pool(float[] image) {
    double[] pooled = new double[POOLED * POOLED];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        pooled[(y / 4) * POOLED + x / 4] += image[y * 28 + x] / 16.0;
      }
    }
    return pooled;
  }

  private static double[][] randomProjection(int inputs, int outputs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] weights = new double[outputs][inputs];
    for (double[] row : weights) {
      for (int p = 0; p < inputs; p++) {
        row[p] = random.nextGaussian() / Math.sqrt(inputs);
      }
    }
    return weights;
  }

  private static float[][] readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x803) {
        throw new IOException(file + " is not an IDX image file (magic number 0x803)");
      }
      int count = in.readInt();
      int size = in.readInt() * in.readInt();
      float[][] images = new float[count][size];
      byte[] buffer = new byte[size];
      for (int i = 0; i < count; i++) {
        in.readFully(buffer);
        for (int p = 0; p < size; p++) {
          images[i][p] = (buffer[p] & 0xFF) / 255f;
        }
      }
      return images;
    }
  }

  private static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x801) {
        throw new IOException(file + " is not an IDX label file (magic number 0x801)");
      }
      int[] labels = new int[in.readInt()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = in.readUnsignedByte();
      }
      return labels;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}
