package org.byov.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One platform service running as its own JVM, with its log in a file. */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private ServiceProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code java -jar jar} with the given heap, PyTorch thread count and environment.
   *
   * @param heapMb maximum heap in MiB
   * @param threads PyTorch intra-op threads; interop threads are 1
   */
  static ServiceProcess start(String name, Path jar, int port, int heapMb, int threads,
      Map<String, String> environment, Path logDirectory) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Missing " + jar + "; build the services first with ./byov build");
    }
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMb + "m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=" + threads);
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    builder.environment().put("SERVER_PORT", Integer.toString(port));
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.environment().put("BYOV_THREADS", Integer.toString(threads));
    return new ServiceProcess(name, port, log, builder.start());
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  Path log() {
    return log;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until {@code path} on this service returns 200, failing early if the process exits.
   */
  void awaitHttpOk(HttpClient http, String path, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    URI uri = URI.create(baseUrl() + path);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + process.exitValue() + " during start; see " + log);
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // The port opens only once Spring has started; keep polling until the deadline.
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException(
        name + " did not answer 200 on " + uri + " within " + timeout.toSeconds() + " s; see "
            + log);
  }

  /** Stops the process: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
