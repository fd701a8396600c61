package org.byov.core.ssl.augment;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the time to build both BYOL views of one batch with
 * {@link AugmentationConfig#byolSmallImages()}, on Fashion-MNIST training images (28x28x1) and on
 * generated CIFAR-sized images (32x32x3, uniform random pixels). docs/benchmarks.md gives the
 * command and results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class AugmentationBenchmark {

  @Param({"256"})
  public int batchSize;

  @Param({"false", "true"})
  public boolean parallel;

  @Param({"fashion-mnist", "random-32x32x3"})
  public String images;

  private ImageSet train;
  private ByolAugmenter augmenter;
  private int[] indices;
  private long step;

  @Setup
  public void setUp() throws IOException {
    train = images.equals("fashion-mnist")
        ? DatasetRegistry.fromEnvironment().load("fashion-mnist", DatasetSplit.TRAIN)
        : randomColourImages(10_000);
    augmenter =
        new ByolAugmenter(
            AugmentationConfig.byolSmallImages(), Normalization.of(train), parallel);
    indices = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      indices[i] = (int) ((i * 7919L) % train.count());
    }
  }

  private static ImageSet randomColourImages(int count) {
    byte[] pixels = new byte[count * 3 * 32 * 32];
    new Random(7).nextBytes(pixels);
    return new ImageSet("random-32x32x3", count, 3, 32, 32, pixels, new int[count],
        List.of("none"), "generated");
  }

  /** Augments one batch; each call uses the next step's seed, as training does. */
  @Benchmark
  public float[][] twoViews() {
    return augmenter.twoViews(train, indices, ViewAugmenter.stepSeed(1, step++));
  }

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(new String[] {AugmentationBenchmark.class.getSimpleName()});
  }
}
