package org.byov.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.byov.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quick demo end to end: four service JVMs, three runs over REST, evaluation, promotion and
 * inference. It checks what each stage left behind rather than the numbers, because the quick
 * profile trains too little for the methods to differ reliably.
 */
class DemoQuickEndToEndTest {

  @TempDir Path work;

  @Test
  void quickDemoRunsEveryStage() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase("byov_demo_e2e");
    Path summary = work.resolve("summary.json");
    Path repository = Path.of(System.getProperty("user.dir")).getParent();

    int exitCode = new CommandLine(new DemoCommand()).execute(
        "--quick",
        "--repository", repository.toString(),
        "--work-dir", work.toString(),
        "--base-port", Integer.toString(freePortBlock()),
        "--db-url", database.url(),
        "--db-user", database.user(),
        "--db-password", database.password(),
        "--summary-json", summary.toString());

    assertThat(exitCode).as("demo exit code; service logs under %s", work.resolve("logs"))
        .isZero();
    JsonNode result = JsonMapper.builder().build().readTree(summary.toFile());
    assertThat(result.path("succeeded").asBoolean()).isTrue();

    try (Connection connection =
        DriverManager.getConnection(database.url(), database.user(), database.password())) {
      assertThat(count(connection, "SELECT count(*) FROM orchestrator.runs WHERE status = "
          + "'SUCCEEDED'")).isEqualTo(3);
      assertThat(count(connection, "SELECT count(DISTINCT run_id) FROM orchestrator.run_metrics"))
          .as("runs with per-epoch metrics").isEqualTo(3);
      assertThat(count(connection, "SELECT count(*) FROM orchestrator.model_versions"))
          .isEqualTo(3);
      assertThat(count(connection, "SELECT count(*) FROM evaluation.evaluations"))
          .isGreaterThanOrEqualTo(3);
      assertThat(count(connection, "SELECT count(*) FROM evaluation.metrics"))
          .isGreaterThan(0);
      assertThat(count(connection, "SELECT count(*) FROM evaluation.reliability_bins"))
          .isGreaterThan(0);
    }

    List<Path> reports = htmlReports(work.resolve("artifacts"));
    assertThat(reports).as("HTML reports under the artifact root").isNotEmpty();
    for (Path report : reports) {
      assertThat(Files.readString(report)).contains("<img");
    }

    double byovVariance = result.path("inference").path("byov.variance.test").asDouble();
    double byolVariance = result.path("inference").path("byol.variance.test").asDouble();
    assertThat(byovVariance).as("BYOV embedding variance from the inference API").isPositive();
    // BYOL has no Bayesian layers, so its samples are identical and the variance is exactly 0.
    assertThat(byolVariance).isZero();
    assertThat(result.path("table").asString()).contains("Linear-probe accuracy");
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static List<Path> htmlReports(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(path -> path.toString().endsWith(".html")).toList();
    }
  }

  /** Returns a port p such that p .. p+3 were free a moment ago. */
  private static int freePortBlock() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      }
      if (base > 65_000) {
        continue;
      }
      if (allFree(base + 1, base + 2, base + 3)) {
        return base;
      }
    }
    throw new IllegalStateException("No block of four free ports found on loopback");
  }

  private static boolean allFree(int... ports) {
    for (int port : ports) {
      try (ServerSocket ignored = new ServerSocket(port)) {
        // Free.
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
