package org.byov.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL database the demo's services share. With a configured URL the demo uses that
 * database as it is. Otherwise it uses the server on 127.0.0.1:5432 when one accepts the
 * {@code postgres} user, and starts an embedded PostgreSQL 17 when none does. In those two cases
 * it drops and recreates the database {@code byov_demo}, so every demo starts from an empty
 * platform and no run of an earlier, interrupted demo competes for the workers.
 */
final class DemoDatabase implements AutoCloseable {

  static final String DATABASE = "byov_demo";
  private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private final String url;
  private final String user;
  private final String password;
  private final String description;
  private final EmbeddedPostgres embedded;

  private DemoDatabase(String url, String user, String password, String description,
      EmbeddedPostgres embedded) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.description = description;
    this.embedded = embedded;
  }

  /** Opens the database as the class comment describes. */
  static DemoDatabase open(String configuredUrl, String user, String password, Path workDirectory)
      throws IOException, SQLException {
    if (configuredUrl != null && !configuredUrl.isBlank()) {
      try (Connection ignored = DriverManager.getConnection(configuredUrl, user, password)) {
        return new DemoDatabase(configuredUrl, user, password, "configured " + configuredUrl, null);
      }
    }
    try (Connection admin = DriverManager.getConnection(LOCAL_SERVER, "postgres", "")) {
      recreate(admin);
      return new DemoDatabase(replaceDatabase(LOCAL_SERVER), "postgres", "",
          "local server 127.0.0.1:5432, database " + DATABASE, null);
    } catch (SQLException noLocalServer) {
      return startEmbedded(workDirectory);
    }
  }

  private static DemoDatabase startEmbedded(Path workDirectory) throws IOException, SQLException {
    Path dataDirectory = workDirectory.resolve("postgres");
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(true)
        .start();
    String adminUrl = postgres.getJdbcUrl("postgres", "postgres");
    try (Connection admin = DriverManager.getConnection(adminUrl, "postgres", "")) {
      recreate(admin);
    }
    return new DemoDatabase(replaceDatabase(adminUrl), "postgres", "",
        "embedded PostgreSQL on port " + postgres.getPort() + ", database " + DATABASE, postgres);
  }

  private static void recreate(Connection admin) throws SQLException {
    try (Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + DATABASE);
    }
  }

  private static String replaceDatabase(String adminUrl) {
    int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = adminUrl.indexOf('?', slash);
    String tail = query < 0 ? "" : adminUrl.substring(query);
    return adminUrl.substring(0, slash + 1) + DATABASE + tail;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  String description() {
    return description;
  }

  /** Returns a new connection; the caller closes it. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
