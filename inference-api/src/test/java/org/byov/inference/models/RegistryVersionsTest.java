package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.byov.inference.TestModels;
import org.byov.inference.web.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that name a version other than production. A registry on loopback describes versions
 * 1 to 4 of model {@code fashion}: 1, 2 and 3 are model directories exported by byov-core with
 * different weight seeds, and 4 is a directory without a model. Version 2 is production. At most
 * one extra version stays loaded ({@code extra-versions=1}), and the real directory loader is
 * wrapped to count loads per version.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.security.tokens[1].name=runner",
    "byov.security.tokens[1].token=" + ApiClient.RUNS_TOKEN,
    "byov.security.tokens[1].roles=runs",
    "byov.security.tokens[2].name=operator",
    "byov.security.tokens[2].token=" + RegistryVersionsTest.ADMIN_TOKEN,
    "byov.security.tokens[2].roles=admin",
    "byov.inference.registry.models=fashion",
    "byov.inference.registry.extra-versions=1",
    "byov.inference.registry.poll-interval=1h"
})
@AutoConfigureMetrics
@Import(RegistryVersionsTest.CountingLoaderConfiguration.class)
class RegistryVersionsTest {

  static final String ADMIN_TOKEN = "test-admin-token";
  private static final Path ARTIFACTS = exportArtifacts();
  private static final AtomicInteger PRODUCTION = new AtomicInteger(2);
  /** While set, the registry closes every connection without a response. */
  private static final AtomicBoolean REGISTRY_DOWN = new AtomicBoolean();
  private static final Map<Integer, AtomicInteger> LOADS = new ConcurrentHashMap<>();
  /** While set, a load of {@link #GATED_VERSION} waits for this latch. */
  private static volatile CountDownLatch gate;
  private static final int GATED_VERSION = 3;
  private static final HttpServer REGISTRY = startRegistry();

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  RegistryFollower follower;

  @Autowired
  DirectoryModelLoader directoryLoader;

  @Autowired
  JsonMapper json;

  ApiClient api;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("byov.inference.registry.url",
        () -> "http://127.0.0.1:" + REGISTRY.getAddress().getPort());
    properties.add("byov.inference.registry.artifacts-root", ARTIFACTS::toString);
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.stop(0);
  }

  /** Wraps the real directory loader and counts its loads per version. */
  @TestConfiguration
  static class CountingLoaderConfiguration {

    @Bean
    @Primary
    ModelLoader countingLoader(DirectoryModelLoader directory) {
      return source -> {
        int version = source.info().version();
        LOADS.computeIfAbsent(version, key -> new AtomicInteger()).incrementAndGet();
        CountDownLatch latch = gate;
        if (latch != null && version == GATED_VERSION) {
          try {
            latch.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while the test held the load", e);
          }
        }
        return directory.load(source);
      };
    }
  }

  @BeforeEach
  void waitForProduction() throws InterruptedException {
    api = new ApiClient(port);
    while (catalog.currentVersion("fashion").isEmpty()) {
      Thread.sleep(20);
    }
  }

  /**
   * The reference is the same version 1 directory, loaded by the directory loader and installed
   * as the production version of another name: the same weights, image and seed give the same
   * reply through the same code.
   */
  @Test
  void versionOneServedWhileTwoIsProduction() throws IOException {
    catalog.install(directoryLoader.load(new ModelSource(
        new ModelVersionInfo("reference-v1", 1, "v1", 0.1), ARTIFACTS.resolve("v1"), null,
        ARTIFACTS.resolve("v1").resolve(RegistryFollower.PROBE_FILE))));

    JsonNode versionOne = embeddings("fashion", 1);
    JsonNode production = embeddings("fashion", null);
    JsonNode reference = embeddings("reference-v1", null);

    assertThat(versionOne.get("version").asInt()).isEqualTo(1);
    assertThat(production.get("version").asInt()).isEqualTo(2);
    assertThat(mean(versionOne)).isEqualTo(mean(reference));
    assertThat(mean(versionOne)).isNotEqualTo(mean(production));

    HttpResponse<String> predictions = api.post("/v1/predictions", body(Map.of("model", "fashion",
        "version", 1, "images", List.of(image()), "samples", 8, "seed", 11)));
    assertThat(predictions.statusCode()).as(predictions.body()).isEqualTo(200);
    JsonNode reply = json.readTree(predictions.body());
    assertThat(reply.get("version").asInt()).isEqualTo(1);
    assertThat(reply.get("abstainThreshold").asDouble()).as("version 1's registry threshold")
        .isEqualTo(0.1);
  }

  @Test
  void oipVersionRoutesServeTheNamedVersion() {
    double[] pixels = TestModels.pixels(5);
    HttpResponse<String> infer = api.post("/v2/models/fashion/versions/1/infer", body(Map.of(
        "id", "v1", "parameters", Map.of("samples", 8, "seed", 11),
        "inputs", List.of(Map.of("name", "images", "shape", new int[] {1, 1, 28, 28},
            "datatype", "FP32", "data", pixels)),
        "outputs", List.of(Map.of("name", "mean")))));

    assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
    JsonNode reply = json.readTree(infer.body());
    assertThat(reply.get("model_version").asString()).isEqualTo("1");
    List<Double> oipMean = new ArrayList<>();
    for (JsonNode value : reply.get("outputs").get(0).get("data")) {
      oipMean.add(value.asDouble());
    }
    List<Double> v1Mean = mean(embeddings("fashion", 1));
    for (int d = 0; d < v1Mean.size(); d++) {
      assertThat(oipMean.get(d)).as("mean[%d]", d).isCloseTo(v1Mean.get(d), within(1e-5));
    }

    JsonNode metadata = json.readTree(api.get("/v2/models/fashion/versions/1",
        ApiClient.INFERENCE_TOKEN).body());
    assertThat(metadata.get("name").asString()).isEqualTo("fashion");
    assertThat(metadata.get("parameters").get("version").asString()).isEqualTo("1");
    assertThat(metadata.get("versions").toString()).isEqualTo("[\"2\",\"1\"]");

    assertThat(api.get("/v2/models/fashion/versions/1/ready", ApiClient.INFERENCE_TOKEN)
        .statusCode()).isEqualTo(200);
    assertThat(api.get("/v2/models/fashion/versions/2/ready", ApiClient.INFERENCE_TOKEN)
        .statusCode()).isEqualTo(200);
    HttpResponse<String> notLoaded = api.get("/v2/models/fashion/versions/3/ready",
        ApiClient.INFERENCE_TOKEN);
    assertThat(notLoaded.statusCode()).as("version 3 exists but is not loaded").isEqualTo(503);
    assertThat(json.readTree(notLoaded.body()).get("ready").asBoolean()).isFalse();
  }

  @Test
  void oipVersionRoutesNeedInferenceRole() {
    assertThat(api.get("/v2/models/fashion/versions/1", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/v2/models/fashion/versions/1/ready", ApiClient.RUNS_TOKEN).statusCode())
        .isEqualTo(403);
    assertThat(api.post("/v2/models/fashion/versions/1/infer", "{}", ApiClient.RUNS_TOKEN)
        .statusCode()).isEqualTo(403);
  }

  /**
   * With one extra version allowed, loading version 3 evicts version 1. A request that still has a
   * reference on version 1 keeps it alive, and releasing that reference frees the model.
   */
  @Test
  void leastRecentlyUsedVersionIsEvicted() {
    ServingModel versionOne = catalog.acquire("fashion", 1);
    int loadsOfOne = loads(1);
    ServingModel other = catalog.acquire("fashion", 3);
    other.release();

    assertThat(catalog.servedVersions("fashion")).containsExactly(2, 3);
    assertThat(versionOne.references()).as("only this test's reference is left").isEqualTo(1);
    assertThat(scrape()).containsPattern(
        "byov_inference_model_extra_versions\\{[^}]*model=\"fashion\"[^}]*} 1\\.0");
    versionOne.release();
    assertThat(versionOne.references()).as("freed after the last release").isZero();

    JsonNode reply = embeddings("fashion", 1);
    assertThat(reply.get("version").asInt()).isEqualTo(1);
    assertThat(loads(1) - loadsOfOne).as("version 1 loaded again after its eviction")
        .isEqualTo(1);
    assertThat(catalog.servedVersions("fashion")).containsExactly(2, 1);
  }

  /**
   * Eight concurrent first requests for version 3 share one load. The load of version 3 waits
   * on a latch until each request is either inside the loader or waiting for a load in
   * {@code ModelCatalog.await}, so all eight overlap the load.
   */
  @Test
  void concurrentFirstRequestsLoadOnce() throws Exception {
    embeddings("fashion", 1); // makes version 1 the one extra version, so 3 is not loaded
    assertThat(catalog.servedVersions("fashion")).doesNotContain(3);
    int before = loads(3);
    gate = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        replies.add(clients.submit(() -> api.post("/v1/embeddings", body(Map.of(
            "model", "fashion", "version", 3, "images", List.of(image()), "samples", 4,
            "seed", 1)))));
      }
      while (loads(3) - before + threadsWaitingForLoad() < 8) {
        Thread.sleep(10);
      }
      assertThat(loads(3) - before).as("loads of version 3 started").isEqualTo(1);
    } finally {
      gate.countDown();
      gate = null;
    }

    List<String> bodies = new ArrayList<>();
    for (Future<HttpResponse<String>> reply : replies) {
      HttpResponse<String> response = reply.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      bodies.add(response.body());
    }
    clients.shutdown();
    assertThat(loads(3) - before).isEqualTo(1);
    // The requests may share a micro-batch or not, and batched kernels round differently at
    // about 1e-7 relative, so the replies are compared to 1e-5 instead of byte for byte.
    JsonNode first = json.readTree(bodies.get(0)).get("data").get(0).get("mean");
    for (String body : bodies) {
      JsonNode reply = json.readTree(body);
      assertThat(reply.get("version").asInt()).isEqualTo(3);
      JsonNode mean = reply.get("data").get(0).get("mean");
      assertThat(mean.size()).isEqualTo(first.size());
      for (int d = 0; d < first.size(); d++) {
        assertThat(mean.get(d).asDouble()).as("mean of dimension %d", d)
            .isCloseTo(first.get(d).asDouble(), within(1e-5));
      }
    }
  }

  @Test
  void promotingLoadedExtraVersionDoesNotLoadAgain() throws Exception {
    embeddings("fashion", 3);
    int loadsOfThree = loads(3);
    int loadsOfTwo = loads(2);
    try {
      PRODUCTION.set(3);
      follower.pollAll();

      assertThat(catalog.currentVersion("fashion").orElseThrow().version()).isEqualTo(3);
      assertThat(loads(3)).as("version 3 reused from the extra versions").isEqualTo(loadsOfThree);
      assertThat(catalog.servedVersions("fashion")).containsExactly(3);
      assertThat(embeddings("fashion", null).get("version").asInt()).isEqualTo(3);
    } finally {
      PRODUCTION.set(2);
      follower.pollAll();
    }
    assertThat(catalog.currentVersion("fashion").orElseThrow().version()).isEqualTo(2);
    assertThat(loads(2) - loadsOfTwo).as("the retired version 2 is loaded again").isEqualTo(1);
  }

  @Test
  void unknownVersionGets404NamingServedVersions() {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "version", 9, "images", List.of(image()))));

    JsonNode problem = assertProblem(response, 404);
    assertThat(problem.get("detail").asString())
        .contains("'fashion'")
        .contains("version 9")
        .contains("2 (production)");
    assertProblem(api.post("/v2/models/fashion/versions/9/infer", "{\"inputs\":[{\"name\":"
        + "\"images\",\"shape\":[1,1,1,1],\"datatype\":\"FP32\",\"data\":[0.5]}]}"), 404);
    assertProblem(api.get("/v2/models/fashion/versions/9/ready", ApiClient.INFERENCE_TOKEN), 404);
    assertProblem(api.get("/v2/models/fashion/versions/9", ApiClient.INFERENCE_TOKEN), 404);
    JsonNode invalid = assertProblem(api.get("/v2/models/fashion/versions/v9",
        ApiClient.INFERENCE_TOKEN), 400);
    assertThat(invalid.get("field").asString()).isEqualTo("version");
  }

  @Test
  void brokenArtifactGetsProblemNamingVersion() {
    HttpResponse<String> response = api.post("/v1/predictions", body(Map.of("model", "fashion",
        "version", 4, "images", List.of(image()))));

    JsonNode problem = assertProblem(response, 503);
    assertThat(problem.get("title").asString()).isEqualTo("Model version failed to load");
    assertThat(problem.get("detail").asString())
        .contains("Version 4 of model 'fashion'")
        .contains("failed to load from v4");
    assertThat(catalog.servedVersions("fashion")).doesNotContain(4);
  }

  @Test
  void unreachableRegistryGets503WithRetryAfter() {
    REGISTRY_DOWN.set(true);
    HttpResponse<String> response;
    try {
      response = api.post("/v1/embeddings", body(Map.of("model", "fashion", "version", 5,
          "images", List.of(image()))));
    } finally {
      REGISTRY_DOWN.set(false);
    }

    JsonNode problem = assertProblem(response, 503);
    assertThat(response.headers().firstValue("Retry-After")).contains("5");
    assertThat(problem.get("detail").asString()).contains("Version 5 of model 'fashion'")
        .contains("registry");
  }

  private JsonNode embeddings(String model, Integer version) {
    Map<String, Object> request = new java.util.HashMap<>(Map.of("model", model,
        "images", List.of(image()), "samples", 8, "seed", 11));
    if (version != null) {
      request.put("version", version);
    }
    HttpResponse<String> response = api.post("/v1/embeddings", body(request));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static List<Double> mean(JsonNode reply) {
    List<Double> mean = new ArrayList<>();
    for (JsonNode value : reply.get("data").get(0).get("mean")) {
      mean.add(value.asDouble());
    }
    return mean;
  }

  private JsonNode assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("detail").asString()).isNotBlank();
    return problem;
  }

  private String scrape() {
    HttpResponse<String> response = api.get("/actuator/prometheus", ADMIN_TOKEN);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private String body(Object value) {
    return json.writeValueAsString(value);
  }

  private static Map<String, Object> image() {
    return Map.of("pixels", TestModels.pixels(5));
  }

  private static int loads(int version) {
    AtomicInteger count = LOADS.get(version);
    return count == null ? 0 : count.get();
  }

  /** Counts the threads blocked in {@code ModelCatalog.await}, waiting for another's load. */
  private static int threadsWaitingForLoad() {
    int waiting = 0;
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().equals(ModelCatalog.class.getName())
            && frame.getMethodName().equals("await")) {
          waiting++;
          break;
        }
      }
    }
    return waiting;
  }

  private static Path exportArtifacts() {
    try {
      Path root = Files.createTempDirectory("byov-artifacts");
      for (int version = 1; version <= 3; version++) {
        Path directory = ExportedModels.export(root.resolve("v" + version), 100 + version);
        ExportedModels.writeProbe(directory.resolve(RegistryFollower.PROBE_FILE));
      }
      Files.createDirectories(root.resolve("v4"));
      Files.writeString(root.resolve("v4").resolve("README.txt"), "not a model directory");
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpServer startRegistry() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v1/models/fashion/", RegistryVersionsTest::handleRegistry);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start the loopback registry", e);
    }
  }

  /**
   * Serves {@code production} and {@code versions/{v}} for versions 1 to 4, with an abstain
   * threshold of v / 10 so that replies show which version's registry entry was used.
   */
  private static void handleRegistry(HttpExchange exchange) throws IOException {
    if (REGISTRY_DOWN.get()) {
      exchange.close(); // closes the connection before any response
      return;
    }
    String path = exchange.getRequestURI().getPath();
    String tail = path.substring("/api/v1/models/fashion/".length());
    int version = -1;
    if (tail.equals("production")) {
      version = PRODUCTION.get();
    } else if (tail.matches("versions/\\d+")) {
      version = Integer.parseInt(tail.substring("versions/".length()));
    }
    int status;
    String body;
    if (version >= 1 && version <= 4) {
      status = 200;
      body = "{\"name\":\"fashion\",\"version\":" + version + ",\"runId\":null,"
          + "\"artifactUri\":\"v" + version + "\",\"inputContract\":null,\"evaluationId\":null,"
          + "\"metrics\":{},\"abstainThreshold\":" + version / 10.0 + ",\"production\":"
          + (version == PRODUCTION.get()) + ",\"createdAt\":null}";
    } else {
      status = 404;
      body = "{\"status\":404,\"detail\":\"Model 'fashion' has no such version\"}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
