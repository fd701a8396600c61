package org.byov.orchestrator.runs;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.HeartbeatResponse;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.support.FakeWorker;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Crash and concurrency behaviour of run jobs: a restarted orchestrator, two replicas with an
 * owner-lease handover, and concurrent launches. Closing a context and starting another on the
 * same database is a restart. A kill is simulated by closing a replica and then putting back what
 * a graceful shutdown cleans up: its unexpired owner leases and a job execution left STARTED.
 */
class RunRecoveryTest {

  private static final String SPEC =
      """
      {"modelName":"recovery-model","dataset":"fashion-mnist","method":"byov","epochs":1}""";

  @TempDir Path artifacts;

  @Test
  void restartContinuesSameRunAndTask() {
    Orchestrators orchestrators = new Orchestrators("restart", artifacts);
    JdbcTemplate db = jdbc(orchestrators);
    UUID runId;
    ClaimedTask train;
    FakeWorker worker;

    try (Orchestrators.Replica first = orchestrators.start("replica-a", Map.of())) {
      runId = createRun(first);
      worker = new FakeWorker(first.baseUrl(), "restart-worker");
      train = worker.claim(TaskKind.TRAIN, runId);
      worker.client().heartbeat(train.taskId(), train.fencingToken(), null);
      Poll.untilTrue(Duration.ofSeconds(30), "the train step to wait",
          () -> "train".equals(db.queryForObject("SELECT waiting_stage FROM runs WHERE id = ?", String.class, runId)));
    }
    simulateKill(db, "replica-a", runId);

    // The orchestrator stays down until the worker's lease has passed its expiry.
    Poll.untilTrue(Duration.ofSeconds(30), "the lease to pass its expiry",
        () -> db.queryForObject("SELECT lease_expires_at < now() FROM tasks WHERE id = ?", Boolean.class,
            train.taskId()));

    try (Orchestrators.Replica second = orchestrators.start("replica-b", Map.of())) {
      FakeWorker sameWorker = new FakeWorker(second.baseUrl(), "restart-worker");
      HeartbeatResponse beat = sameWorker.client().heartbeat(train.taskId(), train.fencingToken(), null);
      assertThat(beat.cancelRequested()).isFalse();
      assertThat(attempt(db, train.taskId())).isEqualTo(1);

      Poll.untilTrue(Duration.ofSeconds(30), "replica-b to own the run",
          () -> "replica-b".equals(owner(db, runId)));
      sameWorker.completeTrain(train);
      sameWorker.completeEval(sameWorker.claim(TaskKind.EVAL, runId), 0.9, 0.02);
      Poll.untilTrue(Duration.ofSeconds(60), "run SUCCEEDED", () -> "SUCCEEDED".equals(status(db, runId)));
    }

    assertThat(db.queryForObject("SELECT count(*) FROM tasks WHERE run_id = ? AND stage = 'train'",
        Integer.class, runId)).isEqualTo(1);
    assertThat(attempt(db, train.taskId())).isEqualTo(1);
    assertThat(db.queryForObject("SELECT count(*) FROM BATCH_JOB_INSTANCE", Integer.class)).isEqualTo(1);
    assertThat(db.queryForObject("SELECT count(*) FROM run_events WHERE run_id = ? AND type = 'LEASE_EXPIRED'",
        Integer.class, runId)).isZero();
  }

  @Test
  void survivingReplicaTakesOverOnlyExpiredRuns() throws Exception {
    Orchestrators orchestrators = new Orchestrators("replicas", artifacts);
    JdbcTemplate db = jdbc(orchestrators);
    // Owner leases of 10 s leave time to simulate the kill before the survivor may take over.
    Map<String, Object> slowLeases = Map.of("byov.orchestrator.owner-lease-period", "10s");
    try (Orchestrators.Replica survivor = orchestrators.start("survivor", slowLeases)) {
      // Workers reach the orchestrators through one service address: the survivor's.
      FakeWorker worker = new FakeWorker(survivor.baseUrl(), "worker");
      UUID survivorRun = createRun(survivor);
      ClaimedTask survivorTrain = worker.claim(TaskKind.TRAIN, survivorRun);
      try (AutoCloseable survivorBeats = worker.keepAlive(survivorTrain)) {
        Object acquiredAt =
            db.queryForObject("SELECT acquired_at FROM run_owners WHERE run_id = ?", Object.class, survivorRun);

        UUID victimRun;
        ClaimedTask victimTrain;
        Map<String, Object> killed = new java.util.HashMap<>(slowLeases);
        killed.put("byov.orchestrator.release-on-shutdown", "false");
        try (Orchestrators.Replica victim = orchestrators.start("victim", killed)) {
          victimRun = createRun(victim);
          victimTrain = worker.claim(TaskKind.TRAIN, victimRun);
          Poll.untilTrue(Duration.ofSeconds(30), "the victim's train step to wait",
              () -> "train".equals(db.queryForObject("SELECT waiting_stage FROM runs WHERE id = ?", String.class, victimRun)));
          assertThat(owner(db, victimRun)).isEqualTo("victim");
        }
        try (AutoCloseable victimBeats = worker.keepAlive(victimTrain)) {
          simulateKill(db, "victim", victimRun);

          Poll.untilTrue(Duration.ofSeconds(30), "the survivor to take the victim's run over",
              () -> "survivor".equals(owner(db, victimRun)));
          worker.completeTrain(victimTrain);
        }
        worker.completeEval(worker.claim(TaskKind.EVAL, victimRun), 0.9, 0.02);
        Poll.untilTrue(Duration.ofSeconds(60), "the victim's run to succeed",
            () -> "SUCCEEDED".equals(status(db, victimRun)));

        // The survivor's own run was never taken over or restarted by anyone else.
        assertThat(owner(db, survivorRun)).isEqualTo("survivor");
        assertThat(db.queryForObject("SELECT acquired_at FROM run_owners WHERE run_id = ?", Object.class, survivorRun))
            .isEqualTo(acquiredAt);
        assertThat(db.queryForObject(
            "SELECT count(*) FROM run_events WHERE run_id = ? AND type = 'OWNER_CHANGED'", Integer.class, survivorRun))
            .isZero();
        assertThat(db.queryForObject(
            "SELECT count(*) FROM run_events WHERE run_id = ? AND type = 'OWNER_CHANGED'", Integer.class, victimRun))
            .isEqualTo(1);
        assertThat(status(db, survivorRun)).isEqualTo("TRAINING");
        assertThat(attempt(db, survivorTrain.taskId())).isEqualTo(1);
      }
    }
  }

  @Test
  void concurrentLaunchesStartOneJob() throws Exception {
    Orchestrators orchestrators = new Orchestrators("launch", artifacts);
    JdbcTemplate db = jdbc(orchestrators);
    try (Orchestrators.Replica replica =
        orchestrators.start("launcher", Map.of("byov.orchestrator.auto-launch", "false"))) {
      UUID runId = createRun(replica);
      Http http = new Http(replica.baseUrl());

      CountDownLatch ready = new CountDownLatch(2);
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService callers = Executors.newFixedThreadPool(2);
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        statuses.add(
            callers.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return http.post("/api/v1/runs/" + runId + ":launch", TestTokens.RUNS, null).status();
                }));
      }
      ready.await();
      go.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        codes.add(status.get());
      }
      callers.shutdown();

      assertThat(codes).containsExactlyInAnyOrder(202, 409);
      Poll.untilTrue(Duration.ofSeconds(30), "the train task to exist",
          () -> db.queryForObject("SELECT count(*) FROM tasks WHERE run_id = ?", Integer.class, runId) == 1);
      assertThat(db.queryForObject("SELECT count(*) FROM BATCH_JOB_EXECUTION", Integer.class)).isEqualTo(1);
      assertThat(http.post("/api/v1/runs/" + runId + ":launch", TestTokens.RUNS, null).status()).isEqualTo(409);
    }
  }

  /**
   * Puts back what a kill would leave and a graceful close cleans up: the replica's owner lease,
   * unexpired, and the run's last job execution still STARTED.
   */
  private static void simulateKill(JdbcTemplate db, String replicaId, UUID runId) {
    String owner =
        db.queryForObject("SELECT owner_id FROM run_owners WHERE run_id = ?", String.class, runId);
    assertThat(owner).as("the run must still belong to the killed replica").isEqualTo(replicaId);
    db.update(
        "UPDATE run_owners SET lease_expires_at = greatest(lease_expires_at, now() + interval '2 seconds')"
            + " WHERE owner_id = ?",
        replicaId);
    db.update(
        """
        UPDATE BATCH_JOB_EXECUTION SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL
        WHERE job_execution_id = (
          SELECT max(e.job_execution_id) FROM BATCH_JOB_EXECUTION e
          JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.job_execution_id = e.job_execution_id
          WHERE p.parameter_name = 'runId' AND p.parameter_value = ?)
        """,
        runId.toString());
  }

  private static UUID createRun(Orchestrators.Replica replica) {
    Http.Response response = new Http(replica.baseUrl()).post("/api/v1/runs", TestTokens.RUNS, SPEC);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return UUID.fromString(response.json().get("id").asString());
  }

  private static JdbcTemplate jdbc(Orchestrators orchestrators) {
    DriverManagerDataSource source =
        new DriverManagerDataSource(
            orchestrators.database().url(), orchestrators.database().user(), orchestrators.database().password());
    source.setSchema("orchestrator");
    return new JdbcTemplate(source);
  }

  private static String status(JdbcTemplate db, UUID runId) {
    return db.queryForObject("SELECT status FROM runs WHERE id = ?", String.class, runId);
  }

  private static String owner(JdbcTemplate db, UUID runId) {
    List<String> owners = db.queryForList("SELECT owner_id FROM run_owners WHERE run_id = ?", String.class, runId);
    return owners.isEmpty() ? null : owners.get(0);
  }

  private static int attempt(JdbcTemplate db, UUID taskId) {
    return db.queryForObject("SELECT attempt FROM tasks WHERE id = ?", Integer.class, taskId);
  }
}
