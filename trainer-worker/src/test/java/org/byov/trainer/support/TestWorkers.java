package org.byov.trainer.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.core.data.DatasetRegistry;
import org.byov.trainer.TrainerWorkerApplication;
import org.byov.trainer.tasks.WorkerLoop;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts trainer workers against a {@link TestOrchestrator}: in this JVM as a Spring context, or
 * as a separate JVM (for SIGKILL and SIGTERM) with this JVM's class path.
 */
public final class TestWorkers {

  private final String orchestratorUrl;
  private final Path artifactsRoot;

  public TestWorkers(String orchestratorUrl, Path artifactsRoot) {
    this.orchestratorUrl = orchestratorUrl;
    this.artifactsRoot = artifactsRoot;
  }

  /** Returns the worker settings as environment variables, with the caller's overrides. */
  public Map<String, String> environment(String workerId, Map<String, String> overrides) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("BYOV_ORCHESTRATOR_URL", orchestratorUrl);
    environment.put("BYOV_WORKER_TOKEN", TestOrchestrator.WORKER_TOKEN);
    environment.put("BYOV_ARTIFACTS_ROOT", artifactsRoot.toString());
    environment.put("BYOV_DATA_ROOT", DatasetRegistry.defaultRoot().toString());
    environment.put("BYOV_TOKENS", TestOrchestrator.TOKEN_LIST);
    environment.put("BYOV_DEVICE", "cpu");
    environment.put("BYOV_THREADS", "2");
    environment.put("SERVER_PORT", "0");
    environment.put("BYOV_WORKER_ID", workerId);
    environment.putAll(overrides);
    return environment;
  }

  /**
   * Starts a worker in this JVM. The environment names become Spring properties of the same
   * meaning (byov.worker.*), because the test JVM's own environment cannot be changed.
   */
  public InProcess startInProcess(String workerId, Map<String, String> overrides) {
    Map<String, String> environment = environment(workerId, overrides);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("byov.worker.orchestrator-url", environment.get("BYOV_ORCHESTRATOR_URL"));
    properties.put("byov.worker.worker-token", environment.get("BYOV_WORKER_TOKEN"));
    properties.put("byov.worker.artifacts-root", environment.get("BYOV_ARTIFACTS_ROOT"));
    properties.put("byov.worker.data-root", environment.get("BYOV_DATA_ROOT"));
    properties.put("byov.security.token-list", environment.get("BYOV_TOKENS"));
    properties.put("byov.worker.device", environment.get("BYOV_DEVICE"));
    properties.put("byov.worker.threads", environment.get("BYOV_THREADS"));
    properties.put("byov.worker.worker-id", workerId);
    properties.put("byov.worker.poll-initial", "100ms");
    properties.put("byov.worker.poll-max", "500ms");
    properties.put("server.port", "0");
    if (environment.containsKey("BYOV_KEEP_CHECKPOINTS")) {
      properties.put("byov.worker.keep-checkpoints", environment.get("BYOV_KEEP_CHECKPOINTS"));
    }
    if (environment.containsKey("BYOV_WORKER_TASK_ID")) {
      properties.put("byov.worker.task-id", environment.get("BYOV_WORKER_TASK_ID"));
    }
    String[] arguments =
        properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext context = TrainerWorkerApplication.builder().run(arguments);
    return new InProcess(context);
  }

  /** Starts a worker as a separate JVM; its output goes to {@code log}. */
  public Process startProcess(String workerId, Map<String, String> overrides, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx1g");
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainerWorkerApplication.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment(workerId, overrides));
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  /** A worker running in this JVM. */
  public record InProcess(ConfigurableApplicationContext context) implements AutoCloseable {

    public int port() {
      return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Waits for a one-shot worker's exit code. */
    public int awaitExitCode() throws InterruptedException {
      return context.getBean(WorkerLoop.class).awaitExitCode();
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /** Returns a fresh worker id. */
  public static String workerId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }
}
