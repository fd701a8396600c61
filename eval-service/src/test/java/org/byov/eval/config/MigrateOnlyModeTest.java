package org.byov.eval.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.byov.eval.EvalServiceApplication;
import org.byov.testing.MigrateOnlyModeContract;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * Migrate-only mode (profile {@code migrate}) against fresh databases: it creates the evaluation
 * schema, starts no web server, claims no task and ends. {@link MigrateOnlyModeContract} adds the
 * tests of a failed migration and of the exit status of {@code main}.
 */
class MigrateOnlyModeTest extends MigrateOnlyModeContract {

  MigrateOnlyModeTest() {
    // The service name is spring.application.name in application.yml. Nothing listens at the
    // orchestrator URL, so a worker loop that ran anyway would log failed claims.
    super(
        EvalServiceApplication.class,
        "byov-eval-service",
        "evaluation",
        artifacts -> List.of(
            "--byov.eval.artifacts-root=" + artifacts, "--byov.eval.orchestrator-url=http://127.0.0.1:1"));
  }

  @Test
  void migrateModeCreatesSchemaAndEnds(CapturedOutput output) throws IOException {
    TestPostgres.Database database = migrateFreshDatabase(output);

    assertThat(tables(database))
        .contains("evaluations", "metrics", "reliability_bins", "pruning_points", "layer_snr", "ood_results");
    // The worker loop logs "EVAL worker ... started" when it starts; it must not exist here.
    assertThat(output).doesNotContain("EVAL worker");
  }
}
