package org.byov.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestRows;
import org.byov.orchestrator.support.TestTokens;
import org.byov.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The V3 migration on a database that V2 left with a registered version, one successful and one
 * failed on-demand evaluation: the history gets both successful evaluations, and the version
 * shows the on-demand one.
 */
class EvaluationHistoryMigrationTest {

  @TempDir Path artifacts;

  @Test
  void migrationBackfillsHistoryAndLatestEvaluation() {
    Orchestrators orchestrators = new Orchestrators("evaluation_backfill", artifacts);
    TestPostgres.Database database = orchestrators.database();
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .schemas("orchestrator")
        .defaultSchema("orchestrator")
        .createSchemas(true)
        .locations("classpath:db/migration/orchestrator")
        .target("2")
        .load()
        .migrate();
    DriverManagerDataSource dataSource =
        new DriverManagerDataSource(database.url(), database.user(), database.password());
    dataSource.setSchema("orchestrator");
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    UUID runId = TestRows.insertRun(jdbc);
    UUID registrationEvaluation = UUID.randomUUID();
    UUID onDemandEvaluation = UUID.randomUUID();
    insertTask(jdbc, runId, "evaluate", "SUCCEEDED", "{}",
        """
        {"evaluationId":"%s","headlineMetrics":{"probeAccuracy":0.85,"ece":0.03},
         "abstainThreshold":0.7,"reportUri":"file:///reports/registration"}"""
            .formatted(registrationEvaluation));
    jdbc.update(
        """
        INSERT INTO model_versions (model_name, version, run_id, artifact_uri, evaluation_id,
                                    metrics, abstain_threshold, created_at)
        VALUES ('queue-test', 1, ?, 'file:///model/', ?, '{"probeAccuracy":0.85,"ece":0.03}',
                0.7, now() - interval '1 day')
        """,
        runId,
        registrationEvaluation);
    String onDemandInput = "{\"modelName\":\"queue-test\",\"modelVersion\":1}";
    UUID onDemandTask = insertTask(jdbc, runId, "evaluate-v1-1", "SUCCEEDED", onDemandInput,
        """
        {"evaluationId":"%s","headlineMetrics":{"probeAccuracy":0.9,"ece":0.02},
         "abstainThreshold":0.6,"reportUri":null}"""
            .formatted(onDemandEvaluation));
    insertTask(jdbc, runId, "evaluate-v1-2", "FAILED", onDemandInput, null);

    try (Orchestrators.Replica replica =
        orchestrators.start("migrated", Map.of("byov.orchestrator.auto-launch", "false"))) {
      Http http = new Http(replica.baseUrl());

      JsonNode version = http.get("/api/v1/models/queue-test/versions/1", TestTokens.RUNS).json();
      assertThat(version.get("evaluationId").asString()).isEqualTo(onDemandEvaluation.toString());
      assertThat(version.get("metrics").get("probeAccuracy").asDouble()).isEqualTo(0.9);
      assertThat(version.get("abstainThreshold").asDouble()).isEqualTo(0.6);

      JsonNode history =
          http.get("/api/v1/models/queue-test/versions/1/evaluation-history", TestTokens.RUNS).json();
      assertThat(history.size()).isEqualTo(2);
      assertThat(history.get(0).get("source").asString()).isEqualTo("ON_DEMAND");
      assertThat(history.get(0).get("taskId").asString()).isEqualTo(onDemandTask.toString());
      assertThat(history.get(0).get("current").asBoolean()).isTrue();
      assertThat(history.get(1).get("source").asString()).isEqualTo("REGISTRATION");
      assertThat(history.get(1).get("evaluationId").asString())
          .isEqualTo(registrationEvaluation.toString());
      assertThat(history.get(1).get("metrics").get("ece").asDouble()).isEqualTo(0.03);
      assertThat(history.get(1).get("reportUri").asString()).isEqualTo("file:///reports/registration");
    }
  }

  private static UUID insertTask(
      JdbcTemplate jdbc, UUID runId, String stage, String status, String input, String result) {
    UUID taskId = UUID.randomUUID();
    jdbc.update(
        """
        INSERT INTO tasks (id, run_id, stage, kind, status, input, result, max_attempts, finished_at)
        VALUES (?, ?, ?, 'EVAL', ?, ?::jsonb, ?::jsonb, 3, now())
        """,
        taskId,
        runId,
        stage,
        status,
        input,
        result);
    return taskId;
  }
}
