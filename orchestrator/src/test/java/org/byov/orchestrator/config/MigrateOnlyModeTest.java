package org.byov.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.byov.orchestrator.OrchestratorApplication;
import org.byov.testing.MigrateOnlyModeContract;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * Migrate-only mode (profile {@code migrate}) against fresh databases: it creates the orchestrator
 * schema, starts no web server, launches nothing and ends. {@link MigrateOnlyModeContract} adds
 * the tests of a failed migration and of the exit status of {@code main}.
 */
class MigrateOnlyModeTest extends MigrateOnlyModeContract {

  MigrateOnlyModeTest() {
    // The service name is spring.application.name in application.yml.
    super(
        OrchestratorApplication.class,
        "byov-orchestrator",
        "orchestrator",
        artifacts -> List.of("--byov.artifacts.root=" + artifacts));
  }

  @Test
  void migrateModeCreatesSchemaAndEnds(CapturedOutput output) throws IOException {
    TestPostgres.Database database = migrateFreshDatabase(output);

    assertThat(tables(database)).contains("runs", "tasks", "batch_job_instance");
    assertThat(jdbc(database).queryForObject("SELECT count(*) FROM orchestrator.batch_job_execution", Long.class))
        .as("Batch job executions")
        .isZero();
    // The maintenance loop logs "Replica ... started" when it starts; it must not exist here.
    assertThat(output).doesNotContain("active task leases");
  }
}
