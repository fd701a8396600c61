package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.byov.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SQL query of the dashboards runs against the schemas that the services' own Flyway
 * migrations create, as the read-only role byov_grafana with the grants of
 * deploy/postgres/10-grafana-role.sh. Each query is explained and then executed, with Grafana's
 * macros and the dashboard variables replaced by fixed values.
 */
class DashboardSqlTest {

  private static final Pattern SCHEMA_REFERENCE = Pattern.compile("\\b(orchestrator|evaluation)\\.\\w+");
  private static final String SAMPLE_ID = "00000000-0000-0000-0000-000000000001";
  private static TestPostgres.Database database;
  /** Schemas migrated in this build, by schema name, with the module that owns each. */
  private static final Map<String, ServiceModule> MIGRATED = new LinkedHashMap<>();

  static Stream<Dashboards.Query> queries() {
    return Dashboards.sqlQueries().stream();
  }

  @BeforeAll
  static void migrate() throws SQLException {
    database = TestPostgres.newDatabase("deploy_dashboards");
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      createGrafanaRoleIfMissing(statement);
      for (String grant : defaultPrivilegeGrants()) {
        statement.execute(grant);
      }
    }
    for (ServiceModule module : ServiceModule.values()) {
      Map<String, Object> flyway = flywaySettings(module);
      if (flyway.isEmpty() || Boolean.FALSE.equals(flyway.get("enabled"))) {
        continue;
      }
      String schema = String.valueOf(flyway.get("schemas"));
      Flyway.configure()
          .dataSource(database.url(), database.user(), database.password())
          .schemas(schema.split(","))
          .defaultSchema(String.valueOf(flyway.getOrDefault("default-schema", schema.split(",")[0])))
          .createSchemas(true)
          .locations(String.valueOf(flyway.get("locations")).split(","))
          .load()
          .migrate();
      for (String name : schema.split(",")) {
        MIGRATED.put(name.strip(), module);
      }
    }
  }

  @Test
  void dashboardsHaveSqlQueries() {
    assertThat(queries()).hasSizeGreaterThan(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void queryRunsAsGrafanaRole(Dashboards.Query query) throws SQLException {
    Set<String> schemas = referencedSchemas(query.text());
    for (String schema : schemas) {
      Assumptions.assumeTrue(MIGRATED.containsKey(schema),
          "no migrations for schema " + schema + " in this build yet, so " + query + " is not checked");
    }
    String sql = expandMacros(query.text());

    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL ROLE byov_grafana");
        statement.execute("SET TRANSACTION READ ONLY");
        assertThatCode(() -> statement.executeQuery("EXPLAIN " + sql).close())
            .as("EXPLAIN of %s:%n%s", query, sql)
            .doesNotThrowAnyException();
        assertThatCode(() -> statement.executeQuery(sql).close())
            .as("%s:%n%s", query, sql)
            .doesNotThrowAnyException();
      } finally {
        connection.rollback();
      }
    }
  }

  @Test
  void runMetricKeysArePostedByTrainer() {
    // The Training dashboard filters run_metrics.metrics by key; the trainer names the keys.
    String trainerSources =
        String.join("\n", Repository.files(Repository.path("trainer-worker/src/main/java"), ".java").stream()
            .map(Repository::read).toList());
    Pattern keyLiteral = Pattern.compile("kv\\.key (?:IN \\(([^)]*)\\)|LIKE '([^'%]*)%')");
    List<String> keys = new java.util.ArrayList<>();
    for (Dashboards.Query query : Dashboards.sqlQueries()) {
      Matcher matcher = keyLiteral.matcher(query.text());
      while (matcher.find()) {
        if (matcher.group(1) != null) {
          for (String key : matcher.group(1).split(",")) {
            keys.add(key.strip().replace("'", ""));
          }
        } else {
          keys.add(matcher.group(2));
        }
      }
    }

    assertThat(keys).as("run_metrics keys of the dashboards").hasSizeGreaterThan(5);
    for (String key : keys) {
      assertThat(trainerSources).as("run_metrics key %s in the trainer's sources", key).contains("\"" + key);
    }
  }

  @Test
  void macrosAreExpanded() {
    String expanded =
        expandMacros("SELECT 1 FROM t WHERE $__timeFilter(t.at) AND id = '$run'::uuid AND e = '$evaluation'");

    assertThat(expanded)
        .isEqualTo("SELECT 1 FROM t WHERE t.at BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T00:00:00Z'"
            + " AND id = '" + SAMPLE_ID + "'::uuid AND e = '" + SAMPLE_ID + "'");
  }

  /** Replaces the Grafana macros and the dashboards' variables that the queries use. */
  static String expandMacros(String sql) {
    String expanded =
        sql.replaceAll(
                "\\$__timeFilter\\(([^)]+)\\)",
                "$1 BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T00:00:00Z'")
            .replace("$__timeFrom()", "'2026-01-01T00:00:00Z'")
            .replace("$__timeTo()", "'2026-01-02T00:00:00Z'")
            .replace("$run", SAMPLE_ID)
            .replace("$evaluation", SAMPLE_ID);
    if (expanded.contains("$")) {
      throw new AssertionError("Unexpanded Grafana macro or variable in: " + expanded);
    }
    return expanded;
  }

  private static Set<String> referencedSchemas(String sql) {
    Set<String> schemas = new TreeSet<>();
    Matcher matcher = SCHEMA_REFERENCE.matcher(sql);
    while (matcher.find()) {
      schemas.add(matcher.group(1));
    }
    return schemas;
  }

  /** Returns spring.flyway.* of a module's configuration file; empty when it has none. */
  private static Map<String, Object> flywaySettings(ServiceModule module) {
    String yaml = ServiceSettings.applicationYamlFiles(module).get(module.configName + ".yml");
    if (yaml == null) {
      return Map.of();
    }
    return Yaml.map(Yaml.at(Yaml.documents(yaml, module + "/" + module.configName + ".yml").get(0), "spring", "flyway"));
  }

  /** Returns the ALTER DEFAULT PRIVILEGES statements of the compose and Kubernetes init script. */
  static List<String> defaultPrivilegeGrants() {
    List<String> grants =
        Repository.read(Repository.path("deploy/postgres/10-grafana-role.sh")).lines()
            .map(String::strip)
            .filter(line -> line.startsWith("ALTER DEFAULT PRIVILEGES"))
            .toList();
    assertThat(grants).as("grants of 10-grafana-role.sh").isNotEmpty();
    return grants;
  }

  private static void createGrafanaRoleIfMissing(Statement statement) throws SQLException {
    // Roles belong to the whole server, which other test databases share.
    statement.execute("""
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'byov_grafana') THEN
            CREATE ROLE byov_grafana NOLOGIN;
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END
        $$""");
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }
}
