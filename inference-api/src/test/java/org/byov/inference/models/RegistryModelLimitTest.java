package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.byov.inference.TestModels;
import org.byov.inference.web.ApiClient;
import org.byov.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code byov.inference.registry.max-models=2} with {@code models=*}: the loopback registry has
 * three models with a production version, {@code alpha}, {@code beta} and {@code gamma}, all in
 * one model directory exported by byov-core. The follower takes them in the registry's order (by
 * name), so it follows {@code alpha} and {@code beta} and leaves {@code gamma} out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.registry.models=*",
    "byov.inference.registry.max-models=2",
    "byov.inference.registry.token=" + LoopbackRegistry.TOKEN,
    "byov.inference.registry.poll-interval=1h"
})
@ExtendWith(OutputCaptureExtension.class)
class RegistryModelLimitTest {

  private static final String SKIPPED_WARNING = "Not serving registry models";
  private static final Path ARTIFACTS = exportArtifacts();
  private static final LoopbackRegistry REGISTRY = new LoopbackRegistry()
      .version("alpha", 1, "model").promote("alpha", 1)
      .version("beta", 1, "model").promote("beta", 1)
      .version("gamma", 1, "model").promote("gamma", 1);

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  RegistryFollower follower;

  @Autowired
  JsonMapper json;

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
    Poll.untilTrue(Duration.ofMinutes(2), "the followed models alpha and beta to load",
        catalog::ready);
  }

  @Test
  void followsAtMostMaxModels() {
    ApiClient api = new ApiClient(port);

    assertThat(catalog.names()).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(api.get("/v2/health/ready", null).statusCode())
        .as("ready: every followed model is loaded, although gamma is left out").isEqualTo(200);
    HttpResponse<String> gamma = api.post("/v1/embeddings", json.writeValueAsString(Map.of(
        "model", "gamma", "images", List.of(Map.of("pixels", TestModels.pixels(5))))));
    assertThat(gamma.statusCode()).as(gamma.body()).isEqualTo(404);
    assertThat(json.readTree(gamma.body()).get("detail").asString())
        .contains("'gamma'")
        .contains("byov.inference.registry.max-models (2)");
  }

  /**
   * Polls with the same models left out log nothing, because the follower warned about gamma at
   * its first poll. A change of that set logs one warning, however many polls follow.
   */
  @Test
  void skippedModelsWarnedOncePerChange(CapturedOutput output) {
    int start = output.getOut().length();
    follower.pollAll();
    follower.pollAll();
    assertThat(count(output.getOut().substring(start), SKIPPED_WARNING))
        .as("warnings while gamma stays left out").isZero();

    REGISTRY.version("omega", 1, "model").promote("omega", 1);
    try {
      int beforeOmega = output.getOut().length();
      follower.pollAll();
      follower.pollAll();
      follower.pollAll();

      String logged = output.getOut().substring(beforeOmega);
      assertThat(count(logged, SKIPPED_WARNING)).as("warnings after omega appeared")
          .isEqualTo(1);
      assertThat(logged).contains(SKIPPED_WARNING + " [gamma, omega]");
      assertThat(catalog.names()).containsExactlyInAnyOrder("alpha", "beta");
    } finally {
      REGISTRY.remove("omega");
      follower.pollAll();
    }
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static Path exportArtifacts() {
    try {
      Path root = Files.createTempDirectory("byov-artifacts");
      Path directory = ExportedModels.export(root.resolve("model"), 101);
      ExportedModels.writeProbe(directory.resolve(RegistryFollower.PROBE_FILE));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
