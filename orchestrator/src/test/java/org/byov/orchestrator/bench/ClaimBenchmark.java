package org.byov.orchestrator.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.tasks.TaskQueue;
import org.byov.orchestrator.support.TestRows;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Claim throughput and latency: 16 workers claim queued tasks over loopback HTTP through {@link
 * TaskClient} until the queue is empty. A warm-up round of 2,000 claims runs first; the measured
 * round claims 10,000 tasks ({@code -Dbyov.bench.warmup}, {@code -Dbyov.bench.claims}). Latency is
 * measured per claim at the client, so the HTTP rounds include HTTP, security, JSON and the claim
 * statement; the SQL rounds call {@link TaskQueue#claim} directly from 16 threads to isolate the
 * statement. Runs only with {@code -Dbyov.bench=true}.
 */
class ClaimBenchmark {

  private static final int WORKERS = 16;

  /**
   * Process CPU time of this JVM: workers, HTTP client and orchestrator, not PostgreSQL. CPU time
   * per claim changes less than throughput when other processes share the cores.
   */
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @TempDir Path artifacts;

  @Test
  void claimThroughputAndLatency() throws Exception {
    assumeTrue(Boolean.getBoolean("byov.bench"), "set -Dbyov.bench=true to run the benchmark");
    Orchestrators orchestrators = new Orchestrators("claim_bench", artifacts);
    try (Orchestrators.Replica replica =
        orchestrators.start(
            "bench",
            Map.of(
                "byov.orchestrator.auto-launch", "false",
                "byov.orchestrator.lease-period", "1h",
                "byov.orchestrator.heartbeat-interval", "10m"))) {
      JdbcTemplate jdbc = replica.bean(JdbcTemplate.class);
      TaskClient client =
          TaskClient.create(
              RestClient.builder(), replica.baseUrl(), TestTokens.WORKER,
              new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 3));

      TaskQueue queue = replica.bean(TaskQueue.class);
      Claimer overHttp =
          workerId -> client.claim(new ClaimRequest(List.of(TaskKind.EVAL), workerId, Map.of(), null)).isPresent();
      Claimer direct = workerId -> queue.claim(List.of(TaskKind.EVAL), workerId, null).isPresent();

      int warmUp = Integer.getInteger("byov.bench.warmup", 2_000);
      int measured = Integer.getInteger("byov.bench.claims", 10_000);
      round(jdbc, overHttp, warmUp, "http warm-up");
      round(jdbc, overHttp, measured, "http measured");
      round(jdbc, direct, warmUp, "sql warm-up");
      round(jdbc, direct, measured, "sql measured");
    }
  }

  /** One claim attempt; returns whether a task was claimed. */
  private interface Claimer {
    boolean claim(String workerId);
  }

  private static void round(JdbcTemplate jdbc, Claimer claimer, int tasks, String label) throws Exception {
    UUID runId = TestRows.insertRun(jdbc);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      rows.add(new Object[] {UUID.randomUUID(), runId, label.replace(' ', '-') + "-" + i});
    }
    jdbc.batchUpdate(
        "INSERT INTO tasks (id, run_id, stage, kind, status, max_attempts)"
            + " VALUES (?, ?, ?, 'EVAL', 'QUEUED', 3)",
        rows);
    jdbc.execute("ANALYZE tasks");

    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<long[]>> results = new ArrayList<>();
    long startedThreadsBefore = THREADS.getTotalStartedThreadCount();
    long cpuBefore = OS.getProcessCpuTime();
    long start = System.nanoTime();
    for (int w = 0; w < WORKERS; w++) {
      String workerId = "bench-" + w;
      results.add(
          pool.submit(
              () -> {
                long[] latencies = new long[tasks];
                int n = 0;
                while (true) {
                  long t0 = System.nanoTime();
                  boolean claimed = claimer.claim(workerId);
                  long elapsed = System.nanoTime() - t0;
                  if (!claimed) {
                    return Arrays.copyOf(latencies, n);
                  }
                  latencies[n++] = elapsed;
                }
              }));
    }
    List<long[]> perWorker = new ArrayList<>();
    for (Future<long[]> result : results) {
      perWorker.add(result.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMillis = (OS.getProcessCpuTime() - cpuBefore) / 1e6;
    long startedThreads = THREADS.getTotalStartedThreadCount() - startedThreadsBefore;
    pool.shutdown();

    long[] all = perWorker.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf(
        "[claim-bench] %s: %d claims by %d workers in %.2f s = %.0f claims/s; latency p50 %.1f ms,"
            + " p99 %.1f ms, max %.1f ms; JVM CPU %.2f ms per claim, %d threads started%n",
        label, all.length, WORKERS, seconds, all.length / seconds,
        percentile(all, 0.50), percentile(all, 0.99), all[all.length - 1] / 1e6,
        cpuMillis / all.length, startedThreads);
  }

  private static double percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
