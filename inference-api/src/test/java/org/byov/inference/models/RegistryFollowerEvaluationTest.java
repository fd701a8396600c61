package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.byov.core.nn.BayesianScope;
import org.byov.core.probe.LinearProbe;
import org.byov.inference.TestLoaderConfiguration;
import org.byov.inference.TestModels;
import org.byov.inference.batching.BatchingProperties;
import org.byov.inference.web.ApiClient;
import org.byov.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Re-evaluations of a production version that stays production: the registry on loopback keeps
 * version 1 in production and changes its evaluation id and abstain threshold, as an on-demand
 * evaluation does. It also serves a version 2, which requests load on demand as an extra version. The evaluations' linear probes are files under the artifacts root, at
 * {@code evaluations/{evaluationId}/report/linear-probe.json}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.registry.models=reevaluated,probe-missing,with-extra",
    "byov.inference.registry.poll-interval=50ms"
})
@Import(TestLoaderConfiguration.class)
class RegistryFollowerEvaluationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path ARTIFACTS = createArtifacts();
  /** The evaluation each model's production version shows, by model name. */
  private static final Map<String, Evaluation> EVALUATIONS = new ConcurrentHashMap<>();
  /** The evaluation each model's version 2 (never production) shows, by model name. */
  private static final Map<String, Evaluation> VERSION_2_EVALUATIONS = new ConcurrentHashMap<>();
  private static final HttpServer REGISTRY = startRegistry();

  /** What the registry shows for version 1 of a model. */
  private record Evaluation(UUID id, double abstainThreshold) {}

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  RegistryFollower follower;

  @Autowired
  RegistryVersionLoader versions;

  @Autowired
  JsonMapper json;

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

  /**
   * The probes have zero weights, so every embedding sample gives softmax(b). With b = 10 for
   * class 7 and 0 elsewhere, p_7 = e^10 / (e^10 + 9) = 0.99959. With b = 0, every class has 0.1
   * and the first, T-shirt/top, is predicted.
   */
  @Test
  void reevaluationsSwapHeadWithoutFailedRequests() throws Exception {
    ApiClient api = new ApiClient(port);
    EVALUATIONS.put("reevaluated", new Evaluation(UUID.randomUUID(), 0.4));
    awaitEvaluation("reevaluated", EVALUATIONS.get("reevaluated").id());
    ServingNetwork network = servedNetwork("reevaluated");

    AtomicBoolean running = new AtomicBoolean(true);
    Set<Double> thresholdsSeen = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<List<String>>> failures = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      failures.add(clients.submit(() -> {
        List<String> failed = new ArrayList<>();
        int i = 0;
        while (running.get() || i < 5) {
          HttpResponse<String> response = predict(api, thread * 1000 + i);
          if (response.statusCode() != 200) {
            failed.add(response.statusCode() + " " + response.body());
          } else {
            thresholdsSeen.add(json.readTree(response.body()).get("abstainThreshold").asDouble());
          }
          i++;
        }
        return failed;
      }));
    }

    try {
      waitForThreshold(thresholdsSeen, 0.4);
      double[] sneakerBias = new double[TestModels.CLASSES.size()];
      sneakerBias[7] = 10;
      Evaluation sneaker = reevaluate("reevaluated", 0.5, sneakerBias);
      awaitEvaluation("reevaluated", sneaker.id());
      waitForThreshold(thresholdsSeen, 0.5);

      JsonNode confident = prediction(api);
      assertThat(confident.get("abstainThreshold").asDouble()).isEqualTo(0.5);
      assertThat(confident.get("version").asInt()).isEqualTo(1);
      JsonNode sneakerPrediction = confident.get("predictions").get(0);
      assertThat(sneakerPrediction.get("predictedClass").asString()).isEqualTo("Sneaker");
      assertThat(sneakerPrediction.get("maxProbability").asDouble())
          .isCloseTo(Math.exp(10) / (Math.exp(10) + 9), within(1e-12));
      assertThat(sneakerPrediction.get("abstain").asBoolean()).isFalse();

      Evaluation uniform = reevaluate("reevaluated", 0.2, new double[TestModels.CLASSES.size()]);
      awaitEvaluation("reevaluated", uniform.id());
      waitForThreshold(thresholdsSeen, 0.2);
    } finally {
      running.set(false);
      clients.shutdown();
    }

    List<String> failed = new ArrayList<>();
    for (Future<List<String>> future : failures) {
      failed.addAll(future.get());
    }
    assertThat(failed).isEmpty();
    assertThat(thresholdsSeen).containsExactlyInAnyOrder(0.4, 0.5, 0.2);

    JsonNode uncertain = prediction(api);
    JsonNode uniformPrediction = uncertain.get("predictions").get(0);
    assertThat(uncertain.get("abstainThreshold").asDouble()).isEqualTo(0.2);
    assertThat(uniformPrediction.get("predictedClass").asString()).isEqualTo("T-shirt/top");
    assertThat(uniformPrediction.get("maxProbability").asDouble()).isCloseTo(0.1, within(1e-12));
    assertThat(uniformPrediction.get("abstain").asBoolean()).isTrue();

    // The encoder was never loaded again: the version kept its network through both swaps.
    assertThat(servedNetwork("reevaluated")).isSameAs(network);
  }

  @Test
  void missingProbeKeepsCurrentEvaluation() throws Exception {
    Evaluation first = new Evaluation(UUID.randomUUID(), 0.4);
    EVALUATIONS.put("probe-missing", first);
    awaitEvaluation("probe-missing", first.id());

    // The registry shows a new evaluation whose probe file is not there yet.
    Evaluation second = new Evaluation(UUID.randomUUID(), 0.9);
    EVALUATIONS.put("probe-missing", second);
    follower.pollAll();

    ModelVersionInfo kept = catalog.currentVersion("probe-missing").orElseThrow();
    assertThat(kept.evaluationId()).isEqualTo(first.id());
    assertThat(kept.abstainThreshold()).isEqualTo(0.4);

    writeProbe(second.id(), new double[TestModels.CLASSES.size()]);
    follower.pollAll();

    ModelVersionInfo applied = catalog.currentVersion("probe-missing").orElseThrow();
    assertThat(applied.evaluationId()).isEqualTo(second.id());
    assertThat(applied.abstainThreshold()).isEqualTo(0.9);
  }

  /**
   * Version 2 is loaded on demand with evaluation A (threshold 0.3). The registry then returns
   * evaluation B (threshold 0.7, probe bias 10 for Sneaker), and the next poll serves B on the
   * same network. As above, p_7 = e^10 / (e^10 + 9).
   */
  @Test
  void extraVersionFollowsReevaluation() throws Exception {
    ApiClient api = new ApiClient(port);
    Evaluation production = new Evaluation(UUID.randomUUID(), 0.4);
    EVALUATIONS.put("with-extra", production);
    awaitEvaluation("with-extra", production.id());
    Evaluation first = new Evaluation(UUID.randomUUID(), 0.3);
    writeProbe(first.id(), new double[TestModels.CLASSES.size()]);
    VERSION_2_EVALUATIONS.put("with-extra", first);

    JsonNode before = prediction(api, "with-extra", 2);
    assertThat(before.get("version").asInt()).isEqualTo(2);
    assertThat(before.get("abstainThreshold").asDouble()).isEqualTo(0.3);
    ServingNetwork network = servedNetwork("with-extra", 2);

    double[] sneakerBias = new double[TestModels.CLASSES.size()];
    sneakerBias[7] = 10;
    Evaluation second = new Evaluation(UUID.randomUUID(), 0.7);
    writeProbe(second.id(), sneakerBias);
    VERSION_2_EVALUATIONS.put("with-extra", second);
    follower.pollAll();

    JsonNode after = prediction(api, "with-extra", 2);
    assertThat(after.get("version").asInt()).isEqualTo(2);
    assertThat(after.get("abstainThreshold").asDouble()).isEqualTo(0.7);
    JsonNode sneakerPrediction = after.get("predictions").get(0);
    assertThat(sneakerPrediction.get("predictedClass").asString()).isEqualTo("Sneaker");
    assertThat(sneakerPrediction.get("maxProbability").asDouble())
        .isCloseTo(Math.exp(10) / (Math.exp(10) + 9), within(1e-12));
    assertThat(servedNetwork("with-extra", 2)).isSameAs(network);
    assertThat(catalog.currentVersion("with-extra").orElseThrow().abstainThreshold())
        .isEqualTo(0.4);
  }

  /**
   * A supervised-bbb model keeps its own classifier and takes only the new threshold, even when
   * the evaluation has a probe file. The two models share one network, which is freed only when
   * both are released.
   */
  @Test
  void classifierModelKeepsItsClassifier() throws Exception {
    Path directory = ExportedModels.exportSupervised(ARTIFACTS.resolve("supervised"),
        BayesianScope.Kind.LAST_K, 0.05);
    DirectoryModelLoader loader = new DirectoryModelLoader(
        new BatchingProperties(true, 64, Duration.ofMillis(2),
            Duration.ofMillis(2), 64, 16384, "cpu"));
    ServingModel served = loader.load(new ModelSource(
        new ModelVersionInfo("supervised", 1, directory.toUri().toString(), 0.3, UUID.randomUUID()),
        directory, null, null));
    UUID evaluationId = UUID.randomUUID();
    writeProbe(evaluationId, new double[TestModels.CLASSES.size()]);
    RegistryClient.RegistryVersion reevaluated = new RegistryClient.RegistryVersion("supervised",
        1, directory.toUri().toString(), null, evaluationId, Map.of(), 0.8);

    ServingModel updated = versions.reevaluate(served, reevaluated);

    assertThat(updated.head()).isInstanceOf(ClassifierHead.class).isSameAs(served.head());
    assertThat(updated.network()).isSameAs(served.network());
    assertThat(updated.info().abstainThreshold()).isEqualTo(0.8);
    assertThat(updated.info().evaluationId()).isEqualTo(evaluationId);

    served.release();
    assertThat(embed(updated)).hasSize(updated.network().embeddingDim());
    updated.release();
    assertThatThrownBy(() -> embed(updated)).isInstanceOf(IllegalStateException.class);
  }

  private ServingNetwork servedNetwork(String model) {
    return servedNetwork(model, null);
  }

  private ServingNetwork servedNetwork(String model, Integer version) {
    ServingModel served = catalog.acquire(model, version);
    try {
      return served.network();
    } finally {
      served.release();
    }
  }

  /** Returns the mean embedding of one blank image, which needs the network's arrays. */
  private static float[] embed(ServingModel model) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return model.network()
          .meanTail(model.network().trunk(manager.zeros(new Shape(1, 1, 28, 28))))
          .toFloatArray();
    }
  }

  /** Writes a probe with bias {@code bias}, then shows it in the registry; returns it. */
  private Evaluation reevaluate(String model, double threshold, double[] bias) throws IOException {
    Evaluation evaluation = new Evaluation(UUID.randomUUID(), threshold);
    writeProbe(evaluation.id(), bias);
    EVALUATIONS.put(model, evaluation);
    return evaluation;
  }

  /**
   * Writes a probe with zero weights and bias {@code bias} in the format of {@link
   * LinearProbe#save}, for the default CNN's 256-dimensional embedding.
   */
  private static void writeProbe(UUID evaluationId, double[] bias) throws IOException {
    double[][] weights = new double[bias.length][256];
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("format", "byov-linear-probe");
    probe.put("version", LinearProbe.FILE_VERSION);
    probe.put("classes", bias.length);
    probe.put("dimension", 256);
    probe.put("l2", 0.0);
    probe.put("weights", weights);
    probe.put("bias", bias);
    probe.put("grid", List.of());
    Path report = ARTIFACTS.resolve("evaluations").resolve(evaluationId.toString())
        .resolve("report");
    Files.createDirectories(report);
    Files.writeString(report.resolve(RegistryFollower.PROBE_FILE), JSON.writeValueAsString(probe));
  }

  /** Waits until the production version of {@code model} shows {@code evaluationId}. */
  private void awaitEvaluation(String model, UUID evaluationId) {
    Poll.untilTrue(Duration.ofSeconds(60), model + " serving evaluation " + evaluationId,
        () -> catalog.currentVersion(model)
            .map(info -> evaluationId.equals(info.evaluationId()))
            .orElse(false));
  }

  private static void waitForThreshold(Set<Double> thresholdsSeen, double threshold) {
    Poll.untilTrue(Duration.ofSeconds(60), "a reply with abstain threshold " + threshold,
        () -> thresholdsSeen.contains(threshold));
  }

  private HttpResponse<String> predict(ApiClient api, long seed) {
    return api.post("/v1/predictions", json.writeValueAsString(
        Map.of("model", "reevaluated", "samples", 8, "seed", seed,
            "images", List.of(Map.of("pixels", TestModels.pixels(seed))))));
  }

  private JsonNode prediction(ApiClient api) {
    HttpResponse<String> response = predict(api, 1);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private JsonNode prediction(ApiClient api, String model, int version) {
    HttpResponse<String> response = api.post("/v1/predictions", json.writeValueAsString(
        Map.of("model", model, "version", version, "samples", 8, "seed", 1,
            "images", List.of(Map.of("pixels", TestModels.pixels(1))))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static Path createArtifacts() {
    try {
      return Files.createTempDirectory("byov-reevaluation");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serves {@code GET /api/v1/models/{name}/production} and {@code .../versions/1}: version 1
   * with its evaluation, and {@code .../versions/2}: version 2, which is not production.
   */
  private static HttpServer startRegistry() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v1/models/", exchange -> {
        String[] path = exchange.getRequestURI().getPath().split("/");
        String name = null;
        int version = 1;
        if (path.length == 6 && path[5].equals("production")) {
          name = path[4];
        } else if (path.length == 7 && path[5].equals("versions")
            && (path[6].equals("1") || path[6].equals("2"))) {
          name = path[4];
          version = Integer.parseInt(path[6]);
        }
        Map<String, Evaluation> evaluations = version == 1 ? EVALUATIONS : VERSION_2_EVALUATIONS;
        Evaluation evaluation = name == null ? null : evaluations.get(name);
        int status;
        String body;
        if (evaluation == null) {
          status = 404;
          body = "{\"status\":404,\"detail\":\"no production version\"}";
        } else {
          status = 200;
          body = JSON.writeValueAsString(Map.of("name", name, "version", version,
              "artifactUri", "runs/" + name + "/model",
              "inputContract", Map.of("channels", 1, "height", 28, "width", 28,
                  "mean", List.of(0.286), "std", List.of(0.353), "classNames", TestModels.CLASSES),
              "evaluationId", evaluation.id().toString(),
              "metrics", Map.of("probeAccuracy", 0.8),
              "abstainThreshold", evaluation.abstainThreshold(), "production", version == 1));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("Failed to start the loopback registry", e);
    }
  }
}
