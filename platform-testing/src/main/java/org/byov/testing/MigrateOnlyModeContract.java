package org.byov.testing;

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
import java.util.function.Function;
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
 * The tests that every service with a migrate-only mode (Spring profile {@code migrate}) shares,
 * run against databases from {@link TestPostgres}: a start on a schema that Flyway did not create
 * fails with one log line that names the service, and {@code main} exits with status 0 after a
 * migration and non-zero after a failed one. A service's test class extends this class and adds a
 * test that calls {@link #migrateFreshDatabase} and then checks the service's own tables and that
 * its background work did not start.
 *
 * <p>The expected schema version is the number of {@code V<n>__*.sql} files in the module's
 * {@code src/main/resources/db/migration/<schema>}, so the migrations are counted independently of
 * what Flyway reports. The expected failure line names the service as its {@code
 * spring.application.name}, which the subclass passes.
 *
 * <p>Needs JUnit, Spring Boot's test support, spring-jdbc and AssertJ on the test class path. They
 * are optional dependencies of platform-testing, and a Spring Boot service's tests already have
 * them.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class MigrateOnlyModeContract {

  @TempDir private Path workDirectory;

  private final Class<?> application;
  private final String serviceName;
  private final String schema;
  private final Function<Path, List<String>> settings;

  /**
   * Describes the service under test.
   *
   * @param application the class with the service's {@code main} method
   * @param serviceName the service's {@code spring.application.name}
   * @param schema the schema that the service owns and migrates
   * @param settings further arguments that the service needs to start, given a folder that the
   *     test owns, for example an artifacts folder
   */
  protected MigrateOnlyModeContract(
      Class<?> application, String serviceName, String schema, Function<Path, List<String>> settings) {
    this.application = application;
    this.serviceName = serviceName;
    this.schema = schema;
    this.settings = settings;
  }

  @Test
  protected void migrateModeFailsOnForeignSchema(CapturedOutput output) throws SQLException {
    TestPostgres.Database database = TestPostgres.newDatabase("migrate_" + schema + "_foreign");
    createForeignTable(database);

    assertThatThrownBy(
            () -> new SpringApplicationBuilder(application).run(arguments(database).toArray(String[]::new)))
        .hasStackTraceContaining("non-empty schema");
    assertThat(output).contains(failureLine());
  }

  @Test
  protected void mainExitsWithMigrationStatus() throws Exception {
    TestPostgres.Database fresh = TestPostgres.newDatabase("migrate_" + schema + "_main");
    TestPostgres.Database foreign = TestPostgres.newDatabase("migrate_" + schema + "_main_foreign");
    createForeignTable(foreign);

    Result succeeded = runMain(fresh);
    Result failed = runMain(foreign);

    assertThat(succeeded.status()).as("exit status on a fresh database; output:%n%s", succeeded.output()).isZero();
    assertThat(failed.status()).as("exit status on a foreign schema; output:%n%s", failed.output()).isNotZero();
    assertThat(failed.output()).contains(failureLine());
  }

  /**
   * Creates an empty database, starts the service on it in migrate-only mode in this JVM and
   * asserts that the service ended: the context is closed, there was no web server, every
   * migration ran and {@code output} has the line that names the schema version. Returns the
   * database for the service's own checks.
   */
  protected TestPostgres.Database migrateFreshDatabase(CharSequence output) throws IOException {
    TestPostgres.Database database = TestPostgres.newDatabase("migrate_" + schema);

    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(application).run(arguments(database).toArray(String[]::new));

    long migrations = migrationFiles();
    assertThat(context.isActive()).as("context active after the migrations").isFalse();
    assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
    assertThat(jdbc(database).queryForObject(
            "SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL",
            Long.class))
        .as("successful versioned migrations in %s.flyway_schema_history", schema)
        .isEqualTo(migrations);
    assertThat(output).contains("Migrate-only mode: schema " + schema + " is at version " + migrations);
    return database;
  }

  protected JdbcTemplate jdbc(TestPostgres.Database database) {
    return new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(), database.password()));
  }

  /** Returns the names of the tables in the service's schema. */
  protected List<String> tables(TestPostgres.Database database) {
    return jdbc(database).queryForList(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", String.class, schema);
  }

  private List<String> arguments(TestPostgres.Database database) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--spring.profiles.active=migrate");
    arguments.add("--spring.datasource.url=" + database.url());
    arguments.add("--spring.datasource.username=" + database.user());
    arguments.add("--spring.datasource.password=" + database.password());
    arguments.add("--spring.main.banner-mode=off");
    arguments.addAll(settings.apply(workDirectory));
    return arguments;
  }

  private String failureLine() {
    return "Migrate-only mode failed, so " + serviceName + " exits with a non-zero status";
  }

  private long migrationFiles() throws IOException {
    try (var files = Files.list(Path.of("src/main/resources/db/migration", schema))) {
      return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  /** Creates a table that Flyway did not create, so that Flyway rejects the schema. */
  private void createForeignTable(TestPostgres.Database database) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
      statement.execute("CREATE TABLE " + schema + ".leftover (id int)");
    }
  }

  private record Result(int status, String output) {}

  /** Runs the service's {@code main} in a new JVM on this test's class path. */
  private Result runMain(TestPostgres.Database database) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(application.getName());
    command.addAll(arguments(database));
    Path log = Files.createTempFile(workDirectory, "main", ".log");
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
