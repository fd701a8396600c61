package org.byov.eval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.byov.eval.EvalServiceApplication;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migrate-only mode (profile {@code migrate}) against fresh databases: it creates the evaluation
 * schema, starts no web server, claims no task and ends, with exit status 0 from {@code main},
 * or 1 with one log line when the migration fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrateOnlyModeTest {

  /** The migrations shipped in the eval-service, counted from its resources. */
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration/evaluation");

  @TempDir Path artifacts;

  private List<String> arguments(TestPostgres.Database database) {
    return List.of(
        "--spring.profiles.active=" + MigrateOnlyMode.PROFILE,
        "--spring.datasource.url=" + database.url(),
        "--spring.datasource.username=" + database.user(),
        "--spring.datasource.password=" + database.password(),
        "--byov.eval.artifacts-root=" + artifacts,
        // Nothing listens here: a worker loop that ran anyway would log failed claims.
        "--byov.eval.orchestrator-url=http://127.0.0.1:1",
        "--spring.main.banner-mode=off");
  }

  private static JdbcTemplate jdbc(TestPostgres.Database database) {
    return new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(), database.password()));
  }

  private static long migrationFiles() throws IOException {
    try (var files = Files.list(MIGRATIONS)) {
      return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  @Test
  void migrateModeCreatesSchemaAndEnds(CapturedOutput output) throws IOException {
    TestPostgres.Database database = TestPostgres.newDatabase("migrate_evaluation");

    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(EvalServiceApplication.class).run(arguments(database).toArray(String[]::new));

    assertThat(context.isActive()).as("context active after the migrations").isFalse();
    assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
    JdbcTemplate jdbc = jdbc(database);
    assertThat(jdbc.queryForObject(
            "SELECT count(*) FROM evaluation.flyway_schema_history WHERE success AND version IS NOT NULL",
            Long.class))
        .isEqualTo(migrationFiles());
    assertThat(jdbc.queryForList(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'evaluation'",
            String.class))
        .contains("evaluations", "metrics", "reliability_bins", "pruning_points", "layer_snr", "ood_results");
    assertThat(output).contains("Migrate-only mode: schema evaluation is at version " + migrationFiles());
    // The worker loop logs "EVAL worker ... started" when it starts; it must not exist here.
    assertThat(output).doesNotContain("EVAL worker");
  }

  @Test
  void migrateModeFailsOnForeignSchema(CapturedOutput output) throws SQLException {
    TestPostgres.Database database = TestPostgres.newDatabase("migrate_evaluation_foreign");
    createForeignTable(database);

    assertThatThrownBy(
            () -> new SpringApplicationBuilder(EvalServiceApplication.class).run(arguments(database).toArray(String[]::new)))
        .hasStackTraceContaining("non-empty schema");
    assertThat(output).contains("Migrate-only mode failed, so the eval-service exits with a non-zero status");
  }

  @Test
  void mainExitsWithMigrationStatus() throws Exception {
    TestPostgres.Database fresh = TestPostgres.newDatabase("migrate_evaluation_main");
    TestPostgres.Database foreign = TestPostgres.newDatabase("migrate_evaluation_main_foreign");
    createForeignTable(foreign);

    Result succeeded = runMain(fresh);
    Result failed = runMain(foreign);

    assertThat(succeeded.status()).as("exit status on a fresh database; output:%n%s", succeeded.output()).isZero();
    assertThat(failed.status()).as("exit status on a foreign schema; output:%n%s", failed.output()).isNotZero();
    assertThat(failed.output()).contains("Migrate-only mode failed, so the eval-service exits with a non-zero status");
  }

  /** Creates a table that Flyway did not create, so that Flyway rejects the schema. */
  private static void createForeignTable(TestPostgres.Database database) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA evaluation");
      statement.execute("CREATE TABLE evaluation.leftover (id int)");
    }
  }

  private record Result(int status, String output) {}

  /** Runs {@code EvalServiceApplication.main} in a new JVM on this test's class path. */
  private Result runMain(TestPostgres.Database database) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EvalServiceApplication.class.getName());
    command.addAll(arguments(database));
    Path log = Files.createTempFile(artifacts, "main", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // A guard against a JVM that never exits, which is one of the failures this test looks for.
    boolean exited = process.waitFor(5, TimeUnit.MINUTES);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exited).as("the JVM exited; output:%n%s", output).isTrue();
    return new Result(process.exitValue(), output);
  }
}
