package org.byov.orchestrator.runs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.RunSpec;
import org.byov.common.task.Progress;
import org.byov.orchestrator.artifacts.ArtifactStore;
import org.byov.orchestrator.config.OrchestratorProperties;
import org.byov.orchestrator.registry.ModelRegistry;
import org.byov.orchestrator.runs.job.RunLauncher;
import org.byov.orchestrator.tasks.TaskQueue;
import org.byov.orchestrator.tasks.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Creates, reads, cancels and deletes runs. */
@Service
public class RunService {

  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final RunRepository runs;
  private final TaskQueue queue;
  private final RunLauncher launcher;
  private final ModelRegistry registry;
  private final ModelReferences references;
  private final ArtifactStore artifacts;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final OrchestratorProperties properties;

  public RunService(
      RunRepository runs,
      TaskQueue queue,
      RunLauncher launcher,
      ModelRegistry registry,
      ModelReferences references,
      ArtifactStore artifacts,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      JsonMapper json,
      OrchestratorProperties properties) {
    this.runs = runs;
    this.queue = queue;
    this.launcher = launcher;
    this.registry = registry;
    this.references = references;
    this.artifacts = artifacts;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
    this.properties = properties;
  }

  /** A created (or replayed) run. */
  public record Created(RunView run, boolean replayed) {}

  /**
   * Creates a run and launches its job. With an idempotency key, a retry with the same body
   * returns the run created first, and the same key with another body gets 422. Keys are scoped
   * per caller. The body hash is taken over the spec with defaults filled in, so formatting and
   * field order do not matter. A model reference in the evaluation options that the registry
   * does not contain gets 422 naming the field; a replay is not checked again.
   */
  public Created create(String caller, String idempotencyKey, RunSpec spec) {
    RunSpecChecks.check(spec);
    String specJson = json.writeValueAsString(spec);
    String bodyHash = sha256(specJson);

    if (idempotencyKey != null) {
      Optional<Created> replay = replay(caller, idempotencyKey, bodyHash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    try {
      references.resolve(spec.evaluation());
    } catch (ModelReferences.UnresolvedReferenceException e) {
      throw e.toProblem();
    }

    UUID runId = UUID.randomUUID();
    boolean keyStored =
        Boolean.TRUE.equals(
            transactions.execute(
                status -> {
                  runs.insert(runId, caller, spec.modelName(), spec.method().wireName(), specJson);
                  if (idempotencyKey == null) {
                    return true;
                  }
                  int inserted =
                      jdbc.update(
                          "INSERT INTO idempotency_keys (caller, key, body_hash, run_id)"
                              + " VALUES (?, ?, ?, ?) ON CONFLICT (caller, key) DO NOTHING",
                          caller,
                          idempotencyKey,
                          bodyHash,
                          runId);
                  if (inserted == 0) {
                    // A concurrent request with the same key won; drop this run.
                    status.setRollbackOnly();
                    return false;
                  }
                  return true;
                }));
    if (!keyStored) {
      return replay(caller, idempotencyKey, bodyHash).orElseThrow();
    }

    log.info("Run {} created by {} for model {}", runId, caller, spec.modelName());
    if (properties.autoLaunch()) {
      launcher.launch(runId);
    }
    return new Created(get(runId), false);
  }

  /** Launches the job of a run that has not been launched; 409 when it has. */
  public RunView launch(UUID runId) {
    RunRow run = require(runId);
    if (run.status().isTerminal()) {
      throw ApiProblemException.conflict("Run " + runId + " is " + run.status() + " already");
    }
    launcher.launch(runId);
    return get(runId);
  }

  public RunView get(UUID runId) {
    return view(require(runId));
  }

  public RunPage list(RunStatus status, String method, int page, int size) {
    List<RunView> items = runs.list(status, method, page, size).stream().map(this::view).toList();
    return new RunPage(items, page, size, runs.count(status, method));
  }

  public List<EpochMetrics> metrics(UUID runId) {
    require(runId);
    return runs.metrics(runId).stream()
        .map(row -> new EpochMetrics(row.epoch(), json.readValue(row.metricsJson(), METRICS), row.recordedAt()))
        .toList();
  }

  public List<RunRepository.RunEvent> events(UUID runId) {
    require(runId);
    return runs.events(runId);
  }

  /**
   * Requests a cancel. Queued tasks are cancelled at once; a running task's worker learns it from
   * its next heartbeat. The run becomes CANCELLED when its job finds every task stopped. A run
   * whose job was never launched is cancelled at once.
   */
  public RunView cancel(UUID runId, String caller) {
    RunRow run = require(runId);
    if (!runs.requestCancel(runId, caller)) {
      throw ApiProblemException.conflict(
          "Run " + runId + " is " + run.status() + " and can no longer be cancelled");
    }
    queue.requestCancel(runId);
    Integer owners =
        jdbc.queryForObject("SELECT count(*) FROM run_owners WHERE run_id = ?", Integer.class, runId);
    if (owners == 0) {
      runs.finish(runId, RunStatus.CANCELLED, "Run cancelled by " + caller + " before it was launched");
    }
    log.info("Cancel of run {} requested by {}", runId, caller);
    return get(runId);
  }

  /**
   * Deletes the checkpoints of a finished run. 409 while the run is active or while its model
   * version is in production; the final model directory of a registered version is kept.
   */
  public void deleteCheckpoints(UUID runId, String caller) {
    RunRow run = require(runId);
    if (!run.status().isTerminal()) {
      throw ApiProblemException.conflict(
          "Run " + runId + " is " + run.status() + "; cancel it before deleting its checkpoints");
    }
    if (registry.isInProduction(runId)) {
      throw ApiProblemException.conflict(
          "Run " + runId + " produced the production version of " + run.modelName()
              + "; promote another version or roll back first");
    }
    long deleted = artifacts.deleteCheckpoints(runId);
    runs.markCheckpointsDeleted(runId);
    runs.event(runId, "CHECKPOINTS_DELETED", caller + " deleted " + deleted + " checkpoint files");
  }

  private Optional<Created> replay(String caller, String key, String bodyHash) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT body_hash, run_id FROM idempotency_keys WHERE caller = ? AND key = ?", caller, key);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    if (!bodyHash.equals(rows.get(0).get("body_hash"))) {
      throw ApiProblemException.unprocessable(
          "Idempotency-Key '" + key + "' was used with a different request body; use a new key");
    }
    return Optional.of(new Created(get((UUID) rows.get(0).get("run_id")), true));
  }

  private RunRow require(UUID runId) {
    return runs.find(runId).orElseThrow(() -> ApiProblemException.notFound("Run " + runId + " does not exist"));
  }

  private RunView view(RunRow run) {
    List<TaskRow> tasks = queue.findByRun(run.id());
    int attempts = tasks.isEmpty() ? 0 : tasks.get(tasks.size() - 1).attempt();
    List<RunView.TaskSummary> summaries =
        tasks.stream()
            .map(
                task ->
                    new RunView.TaskSummary(
                        task.id(), task.stage(), task.kind().name(), task.status().name(),
                        task.attempt(), task.lastError(),
                        task.progressJson() == null
                            ? null
                            : json.readValue(task.progressJson(), Progress.class)))
            .toList();
    String self = "/api/v1/runs/" + run.id();
    RunView.Links links =
        new RunView.Links(
            self,
            self + "/metrics",
            self + "/events",
            run.artifactUri(),
            run.evaluationId(),
            run.modelVersion() == null
                ? null
                : "/api/v1/models/" + run.modelName() + "/versions/" + run.modelVersion());
    return new RunView(
        run.id(),
        run.modelName(),
        run.method(),
        run.status(),
        json.readValue(run.specJson(), RunSpec.class),
        run.cancelRequested(),
        attempts,
        run.currentEpoch(),
        run.latestMetricsJson() == null ? null : json.readValue(run.latestMetricsJson(), METRICS),
        run.error(),
        summaries,
        links,
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        run.updatedAt());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
