package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.byov.inference.TestModels;
import org.byov.inference.web.ApiClient;
import org.byov.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code byov.inference.registry.models=*}: the service follows every model of a loopback
 * registry that has a production version. The registry describes three model directories
 * exported by byov-core with different weight seeds: {@code m1}, {@code m2} and {@code m3}.
 * Models {@code alpha} (version 1 in {@code m1}, version 2 in {@code m3}) and {@code beta}
 * (version 1 in {@code m2}) are in production from the start. {@code delta} (version 1 in
 * {@code m3}) is promoted for the first time by a test, and {@code draft} never is. The polls
 * after the first one are forced with {@link RegistryFollower#pollAll}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.registry.models=*",
    "byov.inference.registry.token=" + LoopbackRegistry.TOKEN,
    "byov.inference.registry.poll-interval=1h"
})
class RegistryAllModelsTest {

  private static final Path ARTIFACTS = exportArtifacts();
  private static final LoopbackRegistry REGISTRY = new LoopbackRegistry()
      .version("alpha", 1, "m1").version("alpha", 2, "m3").promote("alpha", 1)
      .version("beta", 1, "m2").promote("beta", 1)
      .version("delta", 1, "m3")
      .version("draft", 1, "m1");

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
    properties.add("byov.inference.registry.url", REGISTRY::url);
    properties.add("byov.inference.registry.artifacts-root", ARTIFACTS::toString);
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.close();
  }

  @BeforeEach
  void waitUntilReady() {
    api = new ApiClient(port);
    Poll.untilTrue(Duration.ofMinutes(2), "the production models alpha and beta to load",
        catalog::ready);
  }

  /**
   * The references are the directories {@code m1} and {@code m2}, loaded by the directory loader
   * and installed under other names: the same weights, image and seed give the same reply through
   * the same code.
   */
  @Test
  void everyProductionModelServed() throws IOException {
    installReference("reference-m1", "m1");
    installReference("reference-m2", "m2");

    JsonNode alpha = embeddings("alpha");
    JsonNode beta = embeddings("beta");

    assertThat(alpha.get("version").asInt()).isEqualTo(1);
    assertThat(beta.get("version").asInt()).isEqualTo(1);
    assertThat(mean(alpha)).isEqualTo(mean(embeddings("reference-m1")));
    assertThat(mean(beta)).isEqualTo(mean(embeddings("reference-m2")));
    assertThat(mean(alpha)).isNotEqualTo(mean(beta));
    assertThat(api.get("/v2/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    assertThat(REGISTRY.unauthorised()).isZero();
  }

  @Test
  void modelWithoutProductionVersionNotServed() {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "draft",
        "images", List.of(image()))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    assertThat(json.readTree(response.body()).get("detail").asString())
        .contains("'draft'")
        .contains("once it has a production version");
    assertThat(catalog.currentVersion("draft")).isEmpty();
  }

  @Test
  void firstPromotionLoadedAtNextPoll() {
    assertThat(catalog.currentVersion("delta")).as("delta before its promotion").isEmpty();

    REGISTRY.promote("delta", 1);
    follower.pollAll();

    assertThat(catalog.currentVersion("delta").orElseThrow().version()).isEqualTo(1);
    JsonNode delta = embeddings("delta");
    assertThat(delta.get("version").asInt()).isEqualTo(1);
    assertThat(catalog.waitingModels()).isEmpty();
    assertThat(api.get("/v2/health/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void promotionAndRollbackFollowed() {
    List<Double> versionOne = mean(embeddings("alpha"));
    try {
      REGISTRY.promote("alpha", 2);
      follower.pollAll();

      JsonNode promoted = embeddings("alpha");
      assertThat(promoted.get("version").asInt()).isEqualTo(2);
      assertThat(mean(promoted)).as("version 2 is the directory m3").isNotEqualTo(versionOne);

      REGISTRY.promote("alpha", 1); // a rollback, as the registry shows it
      follower.pollAll();

      JsonNode rolledBack = embeddings("alpha");
      assertThat(rolledBack.get("version").asInt()).isEqualTo(1);
      assertThat(mean(rolledBack)).isEqualTo(versionOne);
    } finally {
      REGISTRY.promote("alpha", 1);
      follower.pollAll();
    }
  }

  private void installReference(String name, String directory) throws IOException {
    Path path = ARTIFACTS.resolve(directory);
    catalog.install(directoryLoader.load(new ModelSource(
        new ModelVersionInfo(name, 1, directory, null), path, null,
        path.resolve(RegistryFollower.PROBE_FILE))));
  }

  private JsonNode embeddings(String model) {
    Map<String, Object> request = new HashMap<>(Map.of("model", model,
        "images", List.of(image()), "samples", 8, "seed", 11));
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

  private String body(Object value) {
    return json.writeValueAsString(value);
  }

  private static Map<String, Object> image() {
    return Map.of("pixels", TestModels.pixels(5));
  }

  private static Path exportArtifacts() {
    try {
      Path root = Files.createTempDirectory("byov-artifacts");
      for (int index = 1; index <= 3; index++) {
        Path directory = ExportedModels.export(root.resolve("m" + index), 100 + index);
        ExportedModels.writeProbe(directory.resolve(RegistryFollower.PROBE_FILE));
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
