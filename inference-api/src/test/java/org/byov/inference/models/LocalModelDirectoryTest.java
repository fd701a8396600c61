package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byov.inference.TestModels;
import org.byov.inference.web.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Serves a model directory exported by byov-core, with a linear probe file beside it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.model-name=fashion-local",
    "byov.inference.abstain-threshold=0.3"
})
class LocalModelDirectoryTest {

  private static final Path MODEL = exportModel();

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  JsonMapper json;

  @DynamicPropertySource
  static void modelDirectory(DynamicPropertyRegistry properties) {
    properties.add("byov.inference.model-dir", MODEL::toString);
  }

  @Test
  void exportedModelServesPredictions() throws Exception {
    while (catalog.currentVersion("fashion-local").isEmpty()) {
      Thread.sleep(20);
    }
    ApiClient api = new ApiClient(port);

    HttpResponse<String> response = api.post("/v1/predictions", json.writeValueAsString(Map.of(
        "model", "fashion-local", "images", List.of(Map.of("pixels", TestModels.pixels(1))),
        "seed", 1)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode reply = json.readTree(response.body());
    assertThat(reply.get("version").asInt()).isZero();
    assertThat(reply.get("abstainThreshold").asDouble()).isEqualTo(0.3);
    JsonNode prediction = reply.get("predictions").get(0);
    assertThat(prediction.get("probabilities")).hasSize(10);
    assertThat(ExportedModels.fashionMnistTest().classNames())
        .contains(prediction.get("predictedClass").asString());
    assertThat(api.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  private static Path exportModel() {
    try {
      Path directory = ExportedModels.export(Files.createTempDirectory("byov-model").resolve("m"));
      ExportedModels.writeProbe(directory.resolve(RegistryFollower.PROBE_FILE));
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
