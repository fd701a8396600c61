package org.byov.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server that tests run against, found once per JVM in this order:
 *
 * <ol>
 *   <li>{@code BYOV_TEST_JDBC_URL} (environment variable or system property), a JDBC URL of a
 *       server where the user may create databases; CI points it at the local server;
 *   <li>a Testcontainers {@code postgres:17} container, when a Docker engine answers;
 *   <li>zonky's embedded PostgreSQL 17, which needs nothing but this JVM.
 * </ol>
 *
 * <p>Each call to {@link #newDatabase(String)} creates a fresh, empty database on that server, so
 * test classes never see each other's schemas or rows.
 */
public final class TestPostgres {

  /** The environment variable (or system property) that names an existing server. */
  public static final String URL_VARIABLE = "BYOV_TEST_JDBC_URL";

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static volatile Server server;

  private TestPostgres() {}

  /** A server's admin connection: a JDBC URL plus credentials. */
  public record Server(String adminUrl, String user, String password) {

    /** Returns the JDBC URL of another database on the same server. */
    public String urlOf(String database) {
      int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
      int query = adminUrl.indexOf('?', slash);
      String tail = query < 0 ? "" : adminUrl.substring(query);
      return adminUrl.substring(0, slash + 1) + database + tail;
    }
  }

  /** A fresh database: its JDBC URL and the credentials to reach it. */
  public record Database(String url, String user, String password) {}

  /** Returns the server for this JVM, starting a container or embedded server on first use. */
  public static Server server() {
    Server found = server;
    if (found == null) {
      synchronized (TestPostgres.class) {
        found = server;
        if (found == null) {
          found = locate();
          server = found;
        }
      }
    }
    return found;
  }

  /**
   * Creates an empty database whose name starts with {@code prefix} and returns how to reach it.
   * The database is left in place after the test so that a failure can be inspected; names are
   * unique, so reruns never collide.
   */
  public static Database newDatabase(String prefix) {
    Server target = server();
    String name =
        (prefix.replaceAll("[^A-Za-z0-9_]", "_")
                + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
            .toLowerCase(Locale.ROOT);
    try (Connection connection =
            DriverManager.getConnection(target.adminUrl(), target.user(), target.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create test database " + name + " on " + target.adminUrl() + ": "
              + e.getMessage(),
          e);
    }
    return new Database(target.urlOf(name), target.user(), target.password());
  }

  private static Server locate() {
    String configured = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
    if (configured != null && !configured.isBlank()) {
      log.info("Tests use the PostgreSQL server at {} ({})", configured, URL_VARIABLE);
      return new Server(
          configured,
          System.getProperty("BYOV_TEST_JDBC_USER", envOr("BYOV_TEST_JDBC_USER", "postgres")),
          System.getProperty(
              "BYOV_TEST_JDBC_PASSWORD", envOr("BYOV_TEST_JDBC_PASSWORD", "")));
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17");
      container.start();
      log.info("Tests use a Testcontainers PostgreSQL at {}", container.getJdbcUrl());
      return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    return startEmbedded();
  }

  private static Server startEmbedded() {
    try {
      Path dataDirectory = Files.createTempDirectory("byov-embedded-pg");
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true)
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
      String url = postgres.getJdbcUrl("postgres", "postgres");
      log.info("Tests use an embedded PostgreSQL at {}", url);
      return new Server(url, "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start embedded PostgreSQL; set " + URL_VARIABLE + " to a server's JDBC URL",
          e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
