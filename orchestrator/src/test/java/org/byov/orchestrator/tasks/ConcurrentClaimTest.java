package org.byov.orchestrator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestRows;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * 32 workers claim 1,000 tasks over HTTP at once. Leases are 10 minutes long here, so no claim
 * expires during the test and every task must be claimed exactly once.
 */
class ConcurrentClaimTest {

  @TempDir static Path artifacts;

  private static Orchestrators.Replica replica;
  private static JdbcTemplate jdbc;
  private static TaskClient client;

  @BeforeAll
  static void start() {
    Orchestrators orchestrators = new Orchestrators("concurrent_claim", artifacts);
    replica =
        orchestrators.start(
            "claim-replica",
            Map.of(
                "byov.orchestrator.auto-launch", "false",
                "byov.orchestrator.lease-period", "10m",
                "byov.orchestrator.heartbeat-interval", "1m"));
    jdbc = replica.bean(JdbcTemplate.class);
    client =
        TaskClient.create(
            RestClient.builder(), replica.baseUrl(), TestTokens.WORKER,
            new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 5));
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  @Test
  void concurrentWorkersClaimEachTaskOnce() throws Exception {
    UUID runId = TestRows.insertRun(jdbc);
    int taskCount = 1000;
    Set<UUID> created = ConcurrentHashMap.newKeySet();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < taskCount; i++) {
      UUID id = UUID.randomUUID();
      created.add(id);
      rows.add(new Object[] {id, runId, "bulk-" + i});
    }
    jdbc.batchUpdate(
        "INSERT INTO tasks (id, run_id, stage, kind, status, max_attempts)"
            + " VALUES (?, ?, ?, 'EVAL', 'QUEUED', 3)",
        rows);

    ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(32);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < 32; w++) {
      String workerId = "bulk-worker-" + w;
      futures.add(
          workers.submit(
              () -> {
                ClaimRequest request =
                    new ClaimRequest(List.of(TaskKind.EVAL), workerId, Map.of(), null);
                Optional<ClaimedTask> task;
                while ((task = client.claim(request)).isPresent()) {
                  claimed.add(task.get().taskId());
                }
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    workers.shutdown();

    List<UUID> all = new ArrayList<>(claimed);
    assertThat(all).hasSize(taskCount);
    assertThat(Set.copyOf(all)).isEqualTo(created);
    Integer running =
        jdbc.queryForObject(
            "SELECT count(*) FROM tasks WHERE run_id = ? AND status = 'RUNNING'"
                + " AND fencing_token = 1",
            Integer.class,
            runId);
    assertThat(running).isEqualTo(taskCount);
  }

}
