package org.byov.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.InputContract;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.train.Method;
import org.byov.eval.worker.EvalWorker;
import org.byov.eval.worker.ModelLoader;
import org.byov.testing.Poll;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * A graceful shutdown of the eval-service (SIGTERM closes the application context) during an
 * evaluation releases the EVAL task to the real orchestrator. The task is queued again at once,
 * keeps its attempt number, and the next claim gets that attempt. A {@link GatedModelLoader}
 * stops the evaluation at its start, so that the close comes while the evaluation runs.
 *
 * <p>The test acts as the trainer: it completes each run's TRAIN task with a tiny trained model
 * through the task protocol, and the orchestrator then queues the EVAL task.
 */
class WorkerShutdownTest {

  private static final String WORKER_ID = "eval-shutdown-test";
  private static final String SPEC = """
      {"modelName":"%s","dataset":"fashion-mnist","method":"byov","epochs":1,"batchSize":16,
       "trainSubset":64,"seed":7,"evaluation":{"samples":2,"corruptions":false}}""";

  @TempDir static Path work;

  private static TestOrchestrator orchestrator;
  private static TaskClient protocol;
  private static Path model;

  @BeforeAll
  static void startOrchestrator() throws IOException {
    orchestrator = new TestOrchestrator("eval_shutdown", work);
    protocol = TaskClient.create(RestClient.builder(), orchestrator.baseUrl(),
        TestOrchestrator.WORKER_TOKEN, RetryBackoff.untilLeaseLost());
    model = TinyModels.train(work.resolve("tiny-byov"), Method.BYOV, 1);
  }

  @AfterAll
  static void stopOrchestrator() {
    orchestrator.close();
  }

  @Test
  void shutdownReleasesTaskAtNextStage() throws Exception {
    UUID runId = runAwaitingEvaluation("eval-shutdown-stage");
    AtomicReference<EvalWorker> worker = new AtomicReference<>();
    // The gate opens once the close has asked the worker to stop, so the evaluation goes on to
    // its first stage with the shutdown already requested.
    GatedModelLoader loader =
        new GatedModelLoader(() -> worker.get() != null && !worker.get().isRunning());
    ConfigurableApplicationContext evalService = startEvalService(loader, "2m");
    worker.set(evalService.getBean(EvalWorker.class));
    TestOrchestrator.Task running = awaitEvaluating(runId, loader, evalService);

    evalService.close();

    TestOrchestrator.Task released = orchestrator.task(runId, TaskKind.EVAL);
    assertThat(released.status()).isEqualTo("QUEUED");
    assertThat(released.attempt()).isEqualTo(1);
    assertThat(released.workerId()).isNull();
    assertThat(orchestrator.eventMessages(runId, "TASK_RELEASED")).singleElement()
        .asString()
        .contains(WORKER_ID + " is shutting down")
        .doesNotContain("did not stop within");
    Map<String, Object> evaluation = orchestrator.evaluation(released.id());
    assertThat(evaluation).containsEntry("status", "failed");
    assertThat(String.valueOf(evaluation.get("error"))).startsWith("released:");
    assertNextClaimKeepsAttempt(running);
  }

  @Test
  void shutdownReleasesTaskAfterGrace() throws Exception {
    UUID runId = runAwaitingEvaluation("eval-shutdown-grace");
    // The gate stays closed through the close, as a stage longer than the grace would.
    GatedModelLoader loader = new GatedModelLoader(() -> false);
    ConfigurableApplicationContext evalService = startEvalService(loader, "1s");
    try {
      TestOrchestrator.Task running = awaitEvaluating(runId, loader, evalService);

      evalService.close();

      TestOrchestrator.Task released = orchestrator.task(runId, TaskKind.EVAL);
      assertThat(released.status()).isEqualTo("QUEUED");
      assertThat(released.attempt()).isEqualTo(1);
      assertThat(released.workerId()).isNull();
      assertThat(orchestrator.eventMessages(runId, "TASK_RELEASED")).singleElement()
          .asString()
          .contains(WORKER_ID + " is shutting down; the evaluation did not stop within PT1S");
      assertNextClaimKeepsAttempt(running);
    } finally {
      // The evaluation thread outlives its context. It ends with an error, and its calls get 409.
      loader.abandon();
    }
  }

  /**
   * Creates a run and completes its TRAIN task with the tiny model, as a trainer does. Returns
   * the run id once the orchestrator has queued the EVAL task.
   */
  private static UUID runAwaitingEvaluation(String modelName) throws IOException {
    UUID runId = orchestrator.createRun(SPEC.formatted(modelName));
    TestOrchestrator.Task train = Poll.until(Duration.ofMinutes(1),
        "the TRAIN task of run " + runId, () -> orchestrator.task(runId, TaskKind.TRAIN));
    ClaimedTask claimed = claim(train.id(), TaskKind.TRAIN);
    protocol.complete(claimed.taskId(), claimed.fencingToken(),
        TaskResult.trained(model.toUri().toString(), inputContract(model)));
    Poll.until(Duration.ofMinutes(1), "the EVAL task of run " + runId,
        () -> orchestrator.task(runId, TaskKind.EVAL));
    return runId;
  }

  /** Waits until the eval-service has claimed the run's EVAL task and waits at the gate. */
  private static TestOrchestrator.Task awaitEvaluating(UUID runId, GatedModelLoader loader,
      ConfigurableApplicationContext evalService) throws InterruptedException {
    boolean waiting = loader.awaitWaiting(Duration.ofMinutes(2));
    if (!waiting) {
      evalService.close();
    }
    assertThat(waiting).as("an evaluation asked for its model within 2 minutes").isTrue();
    TestOrchestrator.Task running = orchestrator.task(runId, TaskKind.EVAL);
    assertThat(running.status()).isEqualTo("RUNNING");
    assertThat(running.attempt()).isEqualTo(1);
    assertThat(running.workerId()).isEqualTo(WORKER_ID);
    return running;
  }

  /**
   * Claims the released task again and checks that the claim keeps the attempt and gets a newer
   * fencing token. Then it fails the task for good, so that no later test's worker claims it.
   */
  private static void assertNextClaimKeepsAttempt(TestOrchestrator.Task before) {
    ClaimedTask next = claim(before.id(), TaskKind.EVAL);

    assertThat(next.attempt()).isEqualTo(before.attempt());
    assertThat(next.fencingToken()).isGreaterThan(before.fencingToken());

    protocol.fail(next.taskId(), next.fencingToken(), "the test ends this run here", false);
  }

  private static ClaimedTask claim(UUID taskId, TaskKind kind) {
    return protocol.claim(new ClaimRequest(List.of(kind), "test-worker", Map.of(), taskId))
        .orElseThrow(() -> new AssertionError("Task " + taskId + " could not be claimed"));
  }

  /** Starts the eval-service with its worker on, against the orchestrator and its database. */
  private static ConfigurableApplicationContext startEvalService(GatedModelLoader loader,
      String shutdownGrace) {
    TestPostgres.Database database = orchestrator.database();
    String[] arguments = {
        "--spring.datasource.url=" + database.url(),
        "--spring.datasource.username=" + database.user(),
        "--spring.datasource.password=" + database.password(),
        "--spring.main.banner-mode=off",
        "--server.port=0",
        "--byov.security.token-list=" + TestOrchestrator.TOKEN_LIST,
        "--byov.eval.orchestrator-url=" + orchestrator.baseUrl(),
        "--byov.eval.worker-token=" + TestOrchestrator.WORKER_TOKEN,
        "--byov.eval.worker-id=" + WORKER_ID,
        "--byov.eval.artifacts-root=" + work.resolve("artifacts"),
        "--byov.eval.poll-interval=100ms",
        "--byov.eval.train-limit=300",
        "--byov.eval.test-limit=100",
        "--byov.eval.ood-limit=100",
        "--byov.eval.shutdown-grace=" + shutdownGrace,
        // Spring waits for the worker's stop longer than its grace.
        "--spring.lifecycle.timeout-per-shutdown-phase=5m"};
    ApplicationContextInitializer<GenericApplicationContext> gate = context ->
        context.registerBean("gatedModelLoader", ModelLoader.class, () -> loader,
            definition -> definition.setPrimary(true));
    return new SpringApplicationBuilder(EvalServiceApplication.class)
        .initializers(gate)
        .run(arguments);
  }

  /** Returns the input contract of a model directory, as the trainer reports it. */
  private static InputContract inputContract(Path modelDirectory) throws IOException {
    org.byov.core.checkpoint.InputContract contract =
        CheckpointIo.verify(modelDirectory).inputContract();
    return new InputContract(
        contract.channels(),
        contract.height(),
        contract.width(),
        Arrays.stream(contract.mean()).boxed().toList(),
        Arrays.stream(contract.std()).boxed().toList(),
        contract.classNames());
  }
}
