package org.byov.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The four services of the platform, each a separate JVM on loopback, sharing one database and
 * one artifact directory. Every process gets an explicit heap and PyTorch thread count, so that
 * four JVMs share 2 cores without thrashing.
 */
final class Platform implements AutoCloseable {

  private final List<ServiceProcess> services = new ArrayList<>();
  private final String adminToken;
  private ServiceProcess orchestrator;
  private ServiceProcess evalService;
  private ServiceProcess inferenceApi;
  private boolean detached;

  private Platform(String adminToken) {
    this.adminToken = adminToken;
  }

  /** Starts the services and waits until each is ready (the inference API only until it is live). */
  static Platform start(Path repository, Path workDirectory, DemoDatabase database, int basePort,
      DemoProfile profile, HttpClient http, PrintStream out) throws IOException, InterruptedException {
    Platform platform = new Platform(randomToken());
    try {
      platform.startAll(repository, workDirectory, database, basePort, profile, http, out);
      return platform;
    } catch (IOException | InterruptedException | RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  private void startAll(Path repository, Path workDirectory, DemoDatabase database, int basePort,
      DemoProfile profile, HttpClient http, PrintStream out) throws IOException, InterruptedException {
    String workerToken = randomToken();
    String inferenceToken = randomToken();
    Path logs = workDirectory.resolve("logs");
    String orchestratorUrl = "http://127.0.0.1:" + basePort;

    Map<String, String> common = new HashMap<>();
    common.put("BYOV_ARTIFACTS_ROOT", workDirectory.resolve("artifacts").toString());
    common.put("BYOV_ORCHESTRATOR_URL", orchestratorUrl);
    common.put("BYOV_TOKENS", "demo-admin:" + adminToken + ":admin+runs+inference,"
        + "demo-worker:" + workerToken + ":worker,"
        + "demo-inference:" + inferenceToken + ":inference");
    common.put("BYOV_WORKER_TOKEN", workerToken);
    common.put("BYOV_INFERENCE_TOKEN", inferenceToken);
    Map<String, String> withDatabase = new HashMap<>(common);
    withDatabase.put("BYOV_DB_URL", database.url());
    withDatabase.put("BYOV_DB_USER", database.user());
    withDatabase.put("BYOV_DB_PASSWORD", database.password());

    out.println("Starting the orchestrator on port " + basePort);
    orchestrator = add(ServiceProcess.start("orchestrator", jar(repository, "orchestrator"),
        basePort, 384, 1, withDatabase, logs));
    orchestrator.awaitHttpOk(http, "/actuator/health/readiness", Duration.ofMinutes(10));

    out.println("Starting the trainer worker, evaluation service and inference API");
    ServiceProcess trainer = add(ServiceProcess.start("trainer-worker",
        jar(repository, "trainer-worker"), basePort + 1, 1536, 2, common, logs));
    // Spring's relaxed binding maps these onto byov.eval.train-limit and its neighbours.
    Map<String, String> evaluation = new HashMap<>(withDatabase);
    evaluation.put("BYOV_EVAL_TRAINLIMIT", Integer.toString(profile.evalTrainLimit()));
    evaluation.put("BYOV_EVAL_TESTLIMIT", Integer.toString(profile.evalTestLimit()));
    evaluation.put("BYOV_EVAL_OODLIMIT", Integer.toString(profile.evalOodLimit()));
    evaluation.put("BYOV_EVAL_SEVERITIES", profile.severities());
    evalService = add(ServiceProcess.start("eval-service", jar(repository, "eval-service"),
        basePort + 2, 1536, 1, evaluation, logs));
    Map<String, String> inference = new HashMap<>(common);
    // The inference API binds its tokens from byov.security.* alone, so relaxed binding it is.
    inference.put("BYOV_SECURITY_TOKENLIST", common.get("BYOV_TOKENS"));
    // Relaxed binding: byov.inference.registry.models and .poll-interval.
    inference.put("BYOV_INFERENCE_REGISTRY_MODELS", DemoRuns.BYOV_MODEL + "," + DemoRuns.BYOL_MODEL);
    inference.put("BYOV_INFERENCE_REGISTRY_POLLINTERVAL", "5s");
    inferenceApi = add(ServiceProcess.start("inference-api", jar(repository, "inference-api"),
        basePort + 3, 768, 1, inference, logs));

    trainer.awaitHttpOk(http, "/actuator/health/liveness", Duration.ofMinutes(10));
    evalService.awaitHttpOk(http, "/actuator/health/readiness", Duration.ofMinutes(10));
    inferenceApi.awaitHttpOk(http, "/v2/health/live", Duration.ofMinutes(10));
  }

  private ServiceProcess add(ServiceProcess service) {
    services.add(service);
    return service;
  }

  private static Path jar(Path repository, String module) {
    return repository.resolve(module).resolve("target")
        .resolve(module + "-0.1.0-SNAPSHOT-exec.jar");
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  String adminToken() {
    return adminToken;
  }

  ServiceProcess orchestrator() {
    return orchestrator;
  }

  ServiceProcess evalService() {
    return evalService;
  }

  ServiceProcess inferenceApi() {
    return inferenceApi;
  }

  List<ServiceProcess> services() {
    return List.copyOf(services);
  }

  /** Leaves the services running when the demo exits. */
  void detach() {
    detached = true;
  }

  /** Returns a service that has exited, or null while all run. */
  ServiceProcess firstExited() {
    return services.stream().filter(service -> !service.isAlive()).findFirst().orElse(null);
  }

  @Override
  public void close() {
    if (detached) {
      return;
    }
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
  }
}
