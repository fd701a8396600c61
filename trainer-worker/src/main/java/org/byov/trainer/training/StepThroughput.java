package org.byov.trainer.training;

/**
 * Training throughput over the latest steps, for heartbeats: the images of the steps in a sliding
 * window divided by their summed wall time, which equals the batch size divided by the window's
 * mean step time. The window smooths the jitter between single steps and still follows a change
 * of speed within {@link #DEFAULT_WINDOW} steps.
 */
final class StepThroughput {

  /** Steps in the window. */
  static final int DEFAULT_WINDOW = 20;

  private final int batchSize;
  private final long[] stepNanos;
  private int count;
  private int next;
  private long windowNanos;

  StepThroughput(int batchSize, int window) {
    if (batchSize < 1 || window < 1) {
      throw new IllegalArgumentException(
          "batchSize and window must be at least 1, got " + batchSize + " and " + window);
    }
    this.batchSize = batchSize;
    this.stepNanos = new long[window];
  }

  /** Adds the wall time of one step, in nanoseconds; the oldest step leaves a full window. */
  void add(long nanos) {
    if (count == stepNanos.length) {
      windowNanos -= stepNanos[next];
    } else {
      count++;
    }
    stepNanos[next] = nanos;
    windowNanos += nanos;
    next = (next + 1) % stepNanos.length;
  }

  /** Returns images per second over the window, or 0 before the first step of non-zero time. */
  double imagesPerSecond() {
    if (windowNanos <= 0) {
      return 0.0;
    }
    return (double) count * batchSize / (windowNanos / 1e9);
  }
}
