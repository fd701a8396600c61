package org.byov.trainer.runtime;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings that bound the worker's native memory and CPU use: the JVM heap limit, PyTorch's
 * intra-op and inter-op thread counts, and glibc's {@code MALLOC_ARENA_MAX},
 * {@code MALLOC_MMAP_THRESHOLD_} and {@code MALLOC_TRIM_THRESHOLD_}.
 *
 * <p>PyTorch reads {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}
 * once, when DJL loads the engine, so {@link #apply(int)} must run before the first NDArray is
 * created. glibc reads its variables when the process starts, so only the launcher or the
 * container can set them; this class reports them.
 *
 * <p>Without a fixed mmap threshold, glibc raises the threshold each time a large block that it
 * mapped is freed, up to 32 MiB on 64-bit Linux. PyTorch's tensors of several MiB then come from
 * the malloc heap instead of their own mappings, and the freed space stays in the resident set.
 * Setting either threshold turns that adjustment off.
 */
public final class NativeSettings {

  /** DJL's system property for PyTorch intra-op threads. */
  public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

  /** DJL's system property for PyTorch inter-op threads. */
  public static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /** glibc's variable for the size from which malloc maps a block of its own, in bytes. */
  static final String MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";

  /** glibc's variable for the free space at the top of the heap that is returned, in bytes. */
  static final String TRIM_THRESHOLD = "MALLOC_TRIM_THRESHOLD_";

  private static final Logger log = LoggerFactory.getLogger(NativeSettings.class);

  private NativeSettings() {}

  /**
   * Sets PyTorch's intra-op threads to {@code threads} and inter-op threads to 1 unless set
   * explicitly, then logs every setting. A different explicit {@code -Dai.djl.pytorch.num_threads}
   * is replaced by {@code threads}, with a warning, because BYOV_THREADS is the documented knob.
   */
  public static void apply(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("BYOV_THREADS must be at least 1, got " + threads);
    }
    String explicit = System.getProperty(NUM_THREADS);
    if (explicit != null && !explicit.equals(Integer.toString(threads))) {
      log.warn(
          "-D{}={} differs from BYOV_THREADS={}; using {}", NUM_THREADS, explicit, threads, threads);
    }
    System.setProperty(NUM_THREADS, Integer.toString(threads));
    if (System.getProperty(NUM_INTEROP_THREADS) == null) {
      System.setProperty(NUM_INTEROP_THREADS, "1");
    }
    log.info(describe());
    if (System.getenv("MALLOC_ARENA_MAX") == null) {
      log.warn(
          "MALLOC_ARENA_MAX is not set: glibc may create up to 8 arenas per core and the resident"
              + " set grows; start the worker with MALLOC_ARENA_MAX=2 (the launcher and the"
              + " Docker image do)");
    }
    if (System.getenv(MMAP_THRESHOLD) == null && System.getenv(TRIM_THRESHOLD) == null) {
      log.warn(
          "{} and {} are not set: glibc keeps freed tensor memory in its heap and the resident set"
              + " grows; start the worker with {}=131072 and {}=131072 (the launcher and the"
              + " Docker images do)",
          MMAP_THRESHOLD, TRIM_THRESHOLD, MMAP_THRESHOLD, TRIM_THRESHOLD);
    }
  }

  /** Returns the effective settings in one line, for the start-up log. */
  public static String describe() {
    long maxHeapMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    List<String> heapFlags =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(argument -> argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxRAM"))
            .toList();
    return "Native settings: max heap "
        + maxHeapMiB
        + " MiB (flags "
        + (heapFlags.isEmpty() ? "none, JVM default" : String.join(" ", heapFlags))
        + "), "
        + NUM_THREADS
        + "="
        + System.getProperty(NUM_THREADS)
        + ", "
        + NUM_INTEROP_THREADS
        + "="
        + System.getProperty(NUM_INTEROP_THREADS)
        + ", MALLOC_ARENA_MAX="
        + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset")
        + ", "
        + MMAP_THRESHOLD
        + "="
        + System.getenv().getOrDefault(MMAP_THRESHOLD, "unset")
        + ", "
        + TRIM_THRESHOLD
        + "="
        + System.getenv().getOrDefault(TRIM_THRESHOLD, "unset")
        + ", available processors "
        + Runtime.getRuntime().availableProcessors();
  }
}
