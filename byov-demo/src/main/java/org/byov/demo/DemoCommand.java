package org.byov.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The main job. It starts the platform on this machine and trains supervised BBB, BYOL and BYOV on
 * Fashion-MNIST through the REST API. Once evaluation and promotion are done, it calls the
 * inference API on test images and on MNIST digits and prints BYOV against BYOL.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole platform on Fashion-MNIST and print BYOV against BYOL.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "Small sizes that exercise every stage but are too "
      + "small to compare the methods.")
  boolean quick;

  @Option(names = "--keep-running",
      description = "Leave the services running after the summary (stop them with kill).")
  boolean keepRunning;

  @Option(names = "--db-url", defaultValue = "${env:BYOV_DB_URL}",
      description = "JDBC URL of the PostgreSQL database to use as it is. Default: the server on "
          + "127.0.0.1:5432 with a fresh database byov_demo, else an embedded PostgreSQL.")
  String databaseUrl;

  @Option(names = "--db-user", defaultValue = "${env:BYOV_DB_USER:-postgres}",
      description = "Database user for --db-url (default: ${DEFAULT-VALUE}).")
  String databaseUser;

  @Option(names = "--db-password", defaultValue = "${env:BYOV_DB_PASSWORD:-}",
      description = "Database password for --db-url.")
  String databasePassword;

  @Option(names = "--work-dir", defaultValue = "var/demo",
      description = "Directory for logs, artifacts and reports (default: ${DEFAULT-VALUE}).")
  Path workDirectory;

  @Option(names = "--base-port", defaultValue = "8080",
      description = "Port of the orchestrator; the trainer, evaluation service and inference API "
          + "take the next three (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--repository", defaultValue = ".",
      description = "Root of the BYOV repository, where the built service jars are.")
  Path repository;

  @Option(names = "--summary-json",
      description = "Also write the measured summary as JSON to this file.")
  Path summaryJson;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    DemoProfile profile = quick ? DemoProfile.QUICK : DemoProfile.DEFAULT;
    Path work = workDirectory.toAbsolutePath();
    deleteRecursively(work.resolve("artifacts"));
    deleteRecursively(work.resolve("logs"));
    Files.createDirectories(work);
    out.printf("BYOV demo, profile %s: %d training images, %d epochs per run%n", profile.name(),
        profile.trainSubset(), profile.epochs());

    try (DemoDatabase database =
        DemoDatabase.open(databaseUrl, databaseUser, databasePassword, work)) {
      out.println("Database: " + database.description());
      PlatformClient bootstrap = new PlatformClient("");
      Platform platform = Platform.start(repository.toAbsolutePath(), work, database, basePort,
          profile, bootstrap.http(), out);
      try {
        PlatformClient client = new PlatformClient(platform.adminToken());
        DemoScenario scenario = new DemoScenario(platform, client, profile, out);
        DemoScenario.Outcome outcome = scenario.run();
        if (summaryJson != null) {
          client.json().writeValue(summaryJson.toFile(), outcome.asJson(database.description()));
        }
        if (keepRunning) {
          platform.detach();
          printRunningServices(platform);
        }
        return outcome.succeeded() ? 0 : 1;
      } finally {
        platform.close();
      }
    }
  }

  private void printRunningServices(Platform platform) {
    out.println();
    out.println("The services keep running (--keep-running):");
    for (ServiceProcess service : platform.services()) {
      out.printf("  %-15s %s  log %s%n", service.name(), service.baseUrl(), service.log());
    }
    out.println("  admin token: " + platform.adminToken());
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
