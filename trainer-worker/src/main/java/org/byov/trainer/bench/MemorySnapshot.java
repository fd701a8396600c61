package org.byov.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The memory of this process at one moment, split so that the benchmark can tell JVM memory from
 * PyTorch's and glibc's. It contains the resident set, the committed Java heap, and the memory
 * that Native Memory Tracking attributes to the JVM by category. It also counts the direct byte
 * buffers still allocated, the garbage collections so far and the NDArrays still open.
 *
 * @param residentSetMib {@code VmRSS} from {@code /proc/self/status}
 * @param heapCommittedMib committed Java heap
 * @param jvmCommittedMib by category, the committed memory that NMT reports (empty without
 *     {@code -XX:NativeMemoryTracking=summary}); the key {@code Total} contains the sum
 * @param directBuffersMib memory of the direct byte buffers that are not yet freed; DJL copies
 *     every Java array into one before PyTorch sees it, and only a garbage collection frees it
 * @param directBufferCount number of those buffers
 * @param collections garbage collections since the JVM started, all collectors together
 * @param liveArrays NDArrays not yet closed, under every manager of the PyTorch engine
 * @param liveArraysMib memory of those arrays' elements; arrays that share storage are counted
 *     once each, so this is an upper bound
 */
record MemorySnapshot(
    double residentSetMib,
    double heapCommittedMib,
    Map<String, Double> jvmCommittedMib,
    double directBuffersMib,
    long directBufferCount,
    long collections,
    long liveArrays,
    double liveArraysMib) {

  private static final double KIB_PER_MIB = 1024.0;
  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  /** A category line of {@code VM.native_memory summary}, for example {@code -  Other (reserved=1KB, committed=1KB)}. */
  private static final Pattern CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

  private static final Pattern TOTAL =
      Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB", Pattern.MULTILINE);

  /** Takes a snapshot of this process now. */
  static MemorySnapshot take() {
    List<NDArray> arrays = managedArrays();
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    long collections =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionCount)
            .sum();
    return new MemorySnapshot(
        residentSetKib() / KIB_PER_MIB,
        Runtime.getRuntime().totalMemory() / BYTES_PER_MIB,
        nativeMemoryTracking(),
        direct.getMemoryUsed() / BYTES_PER_MIB,
        direct.getCount(),
        collections,
        arrays.size(),
        arrays.stream().mapToLong(MemorySnapshot::bytes).sum() / BYTES_PER_MIB);
  }

  /** Returns the committed memory NMT reports for the JVM, or NaN without NMT. */
  double jvmTotalMib() {
    return jvmCommittedMib.getOrDefault("Total", Double.NaN);
  }

  /** Returns the committed memory of one NMT category, or NaN without NMT. */
  double jvmCategoryMib(String category) {
    return jvmCommittedMib.getOrDefault(category, Double.NaN);
  }

  /**
   * Returns the resident set that NMT does not attribute to the JVM: PyTorch's tensors and
   * buffers, glibc's free lists and the native libraries' own allocations. NMT counts committed,
   * not resident, memory, so this is an estimate; with the heap pre-touched the two are close.
   */
  double outsideJvmMib() {
    return residentSetMib - jvmTotalMib();
  }

  /**
   * Returns every NDArray not yet closed. A base manager's parent is the engine's system manager,
   * which contains every other base manager, so its tree contains every array.
   */
  private static List<NDArray> managedArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays();
    }
  }

  private static long bytes(NDArray array) {
    return array.size() * array.getDataType().getNumOfBytes();
  }

  /** Returns VmRSS of this process in KiB, from /proc/self/status (Linux). */
  static long residentSetKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("/proc/self/status has no VmRSS line");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read /proc/self/status (Linux only)", e);
    }
  }

  /**
   * Runs the diagnostic command {@code VM.native_memory summary} in this JVM and returns the
   * committed MiB by category, or an empty map when the JVM runs without NMT.
   */
  private static Map<String, Double> nativeMemoryTracking() {
    String summary;
    try {
      summary =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmNativeMemory",
                      new Object[] {new String[] {"summary"}},
                      new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("Cannot run VM.native_memory summary: " + e.getMessage(), e);
    }
    Map<String, Double> committed = new LinkedHashMap<>();
    Matcher total = TOTAL.matcher(summary);
    if (!total.find()) {
      return committed;
    }
    committed.put("Total", Long.parseLong(total.group(1)) / KIB_PER_MIB);
    Matcher category = CATEGORY.matcher(summary);
    while (category.find()) {
      committed.put(category.group(1).trim(), Long.parseLong(category.group(2)) / KIB_PER_MIB);
    }
    return committed;
  }
}
