package org.byov.orchestrator.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.RunSpec;
import org.byov.common.task.InputContract;
import org.byov.common.task.ModelArtifact;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.runs.RunRepository;
import org.byov.orchestrator.runs.RunRow;
import org.byov.orchestrator.tasks.TaskQueue;
import org.byov.orchestrator.tasks.TaskRow;
import org.byov.orchestrator.tasks.TaskSucceeded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry: one version per successful run, one production version per model, and an
 * audit trail of every promotion and rollback. Changes to one model are serialised by a
 * transaction-scoped advisory lock on its name.
 */
@Service
public class ModelRegistry {

  /** Headline metric names the gates read. */
  public static final String PROBE_ACCURACY = "probeAccuracy";

  public static final String ECE = "ece";

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final RunRepository runs;
  private final TaskQueue queue;
  private final ModelEvaluations evaluations;
  private final RegistryProperties properties;

  public ModelRegistry(
      JdbcTemplate jdbc,
      JsonMapper json,
      RunRepository runs,
      TaskQueue queue,
      ModelEvaluations evaluations,
      RegistryProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.runs = runs;
    this.queue = queue;
    this.evaluations = evaluations;
    this.properties = properties;
  }

  /**
   * Registers the version of a successful run, once: a second call for the same run returns the
   * version registered first. Promotes it when the run spec sets promote and the gates pass.
   */
  @Transactional
  public int registerRun(RunRow run, TaskResult trained, TaskResult evaluated) {
    lock(run.modelName());
    List<Integer> existing =
        jdbc.queryForList("SELECT version FROM model_versions WHERE run_id = ?", Integer.class, run.id());
    if (!existing.isEmpty()) {
      return existing.get(0);
    }

    int version =
        jdbc.queryForObject(
            "SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE model_name = ?",
            Integer.class,
            run.modelName());
    jdbc.update(
        """
        INSERT INTO model_versions (model_name, version, run_id, artifact_uri, input_contract,
                                    evaluation_id, metrics, abstain_threshold)
        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?)
        """,
        run.modelName(),
        version,
        run.id(),
        trained.artifactUri(),
        trained.inputContract() == null ? null : json.writeValueAsString(trained.inputContract()),
        evaluated.evaluationId(),
        json.writeValueAsString(evaluated.headlineMetrics()),
        evaluated.abstainThreshold());
    evaluations.append(
        run.modelName(), version, ModelEvaluations.Source.REGISTRATION, null, evaluated);
    runs.event(run.id(), "REGISTERED", "Registered as " + run.modelName() + " version " + version);
    log.info("Run {} registered as {} version {}", run.id(), run.modelName(), version);

    RunSpec spec = json.readValue(run.specJson(), RunSpec.class);
    if (spec.promote()) {
      List<String> failed = failedGates(evaluated.headlineMetrics());
      if (failed.isEmpty()) {
        promoteLocked(run.modelName(), version, "AUTO_PROMOTE", "run " + run.id(), "gates passed");
        runs.event(run.id(), "PROMOTED", "Version " + version + " promoted to production");
      } else {
        runs.event(run.id(), "PROMOTION_SKIPPED", "Not promoted: " + String.join("; ", failed));
      }
    }
    return version;
  }

  /** Returns every model with its latest and production versions, by name. */
  public List<ModelSummary> models() {
    return jdbc.query(
        """
        SELECT v.model_name, max(v.version) AS latest, count(*) AS versions, p.version AS production
        FROM model_versions v LEFT JOIN model_production p ON p.model_name = v.model_name
        GROUP BY v.model_name, p.version ORDER BY v.model_name
        """,
        (rs, i) ->
            new ModelSummary(
                rs.getString("model_name"),
                rs.getInt("latest"),
                (Integer) rs.getObject("production"),
                rs.getInt("versions")));
  }

  /** Returns the versions of a model, newest first; 404 when the model has none. */
  public List<ModelVersionView> versions(String name) {
    List<ModelVersionView> versions =
        jdbc.query(VERSION_SELECT + " WHERE v.model_name = ? ORDER BY v.version DESC", versionRow(), name);
    if (versions.isEmpty()) {
      throw ApiProblemException.notFound("Model '" + name + "' has no versions");
    }
    return versions;
  }

  /** Returns one version. */
  public ModelVersionView version(String name, int version) {
    return jdbc
        .query(VERSION_SELECT + " WHERE v.model_name = ? AND v.version = ?", versionRow(), name, version)
        .stream()
        .findFirst()
        .orElseThrow(
            () -> ApiProblemException.notFound("Model '" + name + "' has no version " + version));
  }

  /** Returns the production version; 404 when none is promoted. */
  public ModelVersionView production(String name) {
    return jdbc
        .query(
            VERSION_SELECT
                + " JOIN model_production p2 ON p2.model_name = v.model_name"
                + " AND p2.version = v.version WHERE v.model_name = ?",
            versionRow(),
            name)
        .stream()
        .findFirst()
        .orElseThrow(
            () -> ApiProblemException.notFound("Model '" + name + "' has no production version"));
  }

  /** Returns the version a run registered, if any. */
  public Optional<ModelVersionView> versionOfRun(UUID runId) {
    return jdbc.query(VERSION_SELECT + " WHERE v.run_id = ?", versionRow(), runId).stream().findFirst();
  }

  /** Makes a version the production version and records it in the audit trail. */
  @Transactional
  public ModelVersionView promote(String name, int version, String actor, String reason) {
    lock(name);
    version(name, version);
    promoteLocked(name, version, "PROMOTE", actor, reason);
    return version(name, version);
  }

  /**
   * Makes the version that was production before the current one production again. 409 when the
   * model has no production version or the current one was the first.
   */
  @Transactional
  public ModelVersionView rollback(String name, String actor, String reason) {
    lock(name);
    Integer current = productionVersion(name);
    if (current == null) {
      throw ApiProblemException.conflict("Model '" + name + "' has no production version to roll back");
    }
    List<Integer> previous =
        jdbc.query(
            """
            SELECT previous_version FROM promotions
            WHERE model_name = ? AND version = ? AND action IN ('PROMOTE', 'AUTO_PROMOTE')
            ORDER BY id DESC LIMIT 1
            """,
            (rs, i) -> (Integer) rs.getObject(1),
            name,
            current);
    if (previous.isEmpty() || previous.get(0) == null) {
      throw ApiProblemException.conflict(
          "Model '" + name + "' version " + current + " has no earlier production version");
    }
    int target = previous.get(0);
    jdbc.update(
        "UPDATE model_production SET version = ?, promoted_at = now() WHERE model_name = ?",
        target,
        name);
    audit(name, target, current, "ROLLBACK", actor, reason);
    log.info("Model {} rolled back from version {} to {} by {}", name, current, target, actor);
    return version(name, target);
  }

  /** Returns the promotion audit trail of a model, newest first. */
  public List<PromotionView> promotions(String name) {
    return jdbc.query(
        "SELECT action, version, previous_version, actor, reason, at FROM promotions"
            + " WHERE model_name = ? ORDER BY id DESC",
        (rs, i) ->
            new PromotionView(
                rs.getString("action"),
                rs.getInt("version"),
                (Integer) rs.getObject("previous_version"),
                rs.getString("actor"),
                rs.getString("reason"),
                instant(rs, "at")),
        name);
  }

  /**
   * Queues an EVAL task for an existing version. The task belongs to the version's run, under a
   * stage of its own ({@code evaluate-v{version}-{n}}), and its input names the model and version
   * and carries the models that the run spec's references resolved to ({@link
   * EvaluationRequests} resolves them; each is null when the spec names none).
   */
  @Transactional
  public TaskRow evaluate(
      String name, int version, String actor, ModelArtifact baseline, ModelArtifact alignWith) {
    lock(name);
    ModelVersionView model = version(name, version);
    int previous =
        jdbc.queryForObject(
            "SELECT count(*) FROM tasks WHERE run_id = ? AND stage LIKE ?",
            Integer.class,
            model.runId(),
            onDemandStagePrefix(version) + "%");
    String stage = onDemandStagePrefix(version) + (previous + 1);
    TaskInput input = new TaskInput(model.artifactUri(), model.inputContract(), name, version)
        .withModels(baseline, alignWith);
    TaskRow task = queue.ensureTask(model.runId(), stage, TaskKind.EVAL, input);
    runs.event(model.runId(), "EVALUATION_REQUESTED",
        actor + " requested an evaluation of " + name + " version " + version
            + resolvedModels(baseline, alignWith));
    return task;
  }

  /** Describes the resolved models for a run event, for example " against baseline m:2". */
  private static String resolvedModels(ModelArtifact baseline, ModelArtifact alignWith) {
    StringBuilder text = new StringBuilder();
    if (baseline != null) {
      text.append(" against baseline ").append(baseline.label());
    }
    if (alignWith != null) {
      text.append(baseline == null ? " with" : " and").append(" alignment model ")
          .append(alignWith.label());
    }
    return text.toString();
  }

  /** Returns the EVAL tasks created for a version on demand, oldest first. */
  public List<TaskRow> evaluations(String name, int version) {
    ModelVersionView model = version(name, version);
    List<TaskRow> tasks = new ArrayList<>();
    for (TaskRow task : queue.findByRun(model.runId())) {
      if (task.stage().startsWith(onDemandStagePrefix(version))) {
        tasks.add(task);
      }
    }
    return tasks;
  }

  /**
   * Returns the evaluations applied to a version, newest first: each successful on-demand
   * evaluation and, last, the one its run registered it with.
   */
  public List<VersionEvaluationView> evaluationHistory(String name, int version) {
    version(name, version);
    return evaluations.history(name, version);
  }

  /**
   * Applies a successful on-demand evaluation to its version. The version then shows that
   * evaluation's id, headline metrics and abstain threshold, and the history keeps the earlier
   * ones. The production version never changes here, even when the gates pass, because
   * re-evaluating an older version must not take production from a newer one. The run event
   * records whether the gates pass, so that an admin can promote the version by hand.
   */
  @EventListener
  public void onTaskSucceeded(TaskSucceeded succeeded) {
    TaskRow task = succeeded.task();
    if (task.kind() != TaskKind.EVAL) {
      return;
    }
    TaskInput input = json.readValue(task.inputJson(), TaskInput.class);
    boolean onDemand =
        input.modelName() != null
            && input.modelVersion() != null
            && task.stage().startsWith(onDemandStagePrefix(input.modelVersion()));
    if (onDemand) {
      recordOnDemandEvaluation(input.modelName(), input.modelVersion(), task, succeeded.result());
    }
  }

  private void recordOnDemandEvaluation(String name, int version, TaskRow task, TaskResult result) {
    lock(name);
    ModelVersionView model = version(name, version);
    if (!model.runId().equals(task.runId())) {
      // ModelRegistry.evaluate creates the task under the version's run, so this is a bug. The
      // task still completes, because failing it would not make the result apply.
      log.error("EVAL task {} of run {} names {} version {}, which run {} registered, so its result"
          + " is not applied", task.id(), task.runId(), name, version, model.runId());
      return;
    }

    evaluations.append(name, version, ModelEvaluations.Source.ON_DEMAND, task.id(), result);
    evaluations.show(name, version, result);

    List<String> failed = failedGates(result.headlineMetrics());
    String gates =
        failed.isEmpty()
            ? "it passes the promotion gates"
            : "it fails the promotion gates (" + String.join("; ", failed) + ")";
    String production = model.production() ? " The version is in production and stays there." : "";
    runs.event(task.runId(), "EVALUATION_RECORDED",
        name + " version " + version + " now shows evaluation " + result.evaluationId() + "; "
            + gates + "." + production);
    if (model.production() && !failed.isEmpty()) {
      log.warn("Production version {} of model {} fails the promotion gates in evaluation {}: {}",
          version, name, result.evaluationId(), String.join("; ", failed));
    } else {
      log.info("Model {} version {} now shows evaluation {} of task {}", name, version,
          result.evaluationId(), task.id());
    }
  }

  /** Returns the stage prefix of on-demand EVAL tasks of a version: {@code evaluate-v{version}-}. */
  private static String onDemandStagePrefix(int version) {
    return "evaluate-v" + version + "-";
  }

  /** Returns whether the run's version is the production version of its model. */
  public boolean isInProduction(UUID runId) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            """
            SELECT EXISTS (SELECT 1 FROM model_versions v JOIN model_production p
                           ON p.model_name = v.model_name AND p.version = v.version
                           WHERE v.run_id = ?)
            """,
            Boolean.class,
            runId));
  }

  /** Lists the gates the metrics fail, as readable reasons; empty when all pass. */
  List<String> failedGates(Map<String, Double> metrics) {
    List<String> failed = new ArrayList<>();
    RegistryProperties.Gates gates = properties.gates();
    Double accuracy = metrics.get(PROBE_ACCURACY);
    if (accuracy == null || accuracy < gates.minProbeAccuracy()) {
      failed.add(PROBE_ACCURACY + " " + accuracy + " is below " + gates.minProbeAccuracy());
    }
    Double ece = metrics.get(ECE);
    if (ece == null || ece > gates.maxEce()) {
      failed.add(ECE + " " + ece + " is above " + gates.maxEce());
    }
    return failed;
  }

  private void promoteLocked(String name, int version, String action, String actor, String reason) {
    Integer previous = productionVersion(name);
    jdbc.update(
        """
        INSERT INTO model_production (model_name, version) VALUES (?, ?)
        ON CONFLICT (model_name) DO UPDATE SET version = EXCLUDED.version, promoted_at = now()
        """,
        name,
        version);
    audit(name, version, previous, action, actor, reason);
    log.info("Model {} version {} promoted to production by {} ({})", name, version, actor, action);
  }

  private Integer productionVersion(String name) {
    List<Integer> rows =
        jdbc.queryForList("SELECT version FROM model_production WHERE model_name = ?", Integer.class, name);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private void audit(
      String name, int version, Integer previous, String action, String actor, String reason) {
    jdbc.update(
        "INSERT INTO promotions (model_name, version, previous_version, action, actor, reason)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        name,
        version,
        previous,
        action,
        actor,
        reason);
  }

  private void lock(String name) {
    jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", name);
  }

  private static final String VERSION_SELECT =
      """
      SELECT v.model_name, v.version, v.run_id, v.artifact_uri, v.input_contract::text AS contract,
             v.evaluation_id, v.metrics::text AS metrics, v.abstain_threshold, v.evaluated_at,
             v.created_at,
             (p.version IS NOT NULL) AS production
      FROM model_versions v
      LEFT JOIN model_production p ON p.model_name = v.model_name AND p.version = v.version
      """;

  private RowMapper<ModelVersionView> versionRow() {
    return (rs, i) -> {
      String contract = rs.getString("contract");
      return new ModelVersionView(
          rs.getString("model_name"),
          rs.getInt("version"),
          rs.getObject("run_id", UUID.class),
          rs.getString("artifact_uri"),
          contract == null ? null : json.readValue(contract, InputContract.class),
          rs.getObject("evaluation_id", UUID.class),
          json.readValue(rs.getString("metrics"), METRICS),
          (Double) rs.getObject("abstain_threshold"),
          instant(rs, "evaluated_at"),
          rs.getBoolean("production"),
          instant(rs, "created_at"));
    };
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
