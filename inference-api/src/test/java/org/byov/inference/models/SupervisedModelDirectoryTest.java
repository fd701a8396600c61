package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byov.core.nn.BayesianScope;
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

/**
 * Serves a {@code supervised-bbb} model directory without a linear probe file: predictions come
 * from the model's own Bayesian classifier.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.model-name=fashion-supervised"
})
class SupervisedModelDirectoryTest {

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
  void predictionsUseOwnClassifier() throws Exception {
    while (catalog.currentVersion("fashion-supervised").isEmpty()) {
      Thread.sleep(20);
    }
    ApiClient api = new ApiClient(port);
    String request = json.writeValueAsString(Map.of("model", "fashion-supervised",
        "images", List.of(Map.of("pixels", TestModels.pixels(1)),
            Map.of("pixels", TestModels.pixels(2))), "samples", 64, "seed", 3));

    HttpResponse<String> response = api.post("/v1/predictions", request);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    for (JsonNode prediction : json.readTree(response.body()).get("predictions")) {
      JsonNode probabilities = prediction.get("probabilities");
      assertThat(probabilities).hasSize(10);
      double total = 0;
      int best = 0;
      for (int k = 0; k < probabilities.size(); k++) {
        total += probabilities.get(k).asDouble();
        if (probabilities.get(k).asDouble() > probabilities.get(best).asDouble()) {
          best = k;
        }
      }
      assertThat(total).isCloseTo(1.0, within(1e-9));
      assertThat(prediction.get("predictedIndex").asInt()).isEqualTo(best);
      // A Bayesian tail and classifier with sigma 0.05 give samples that disagree.
      assertThat(prediction.get("mutualInformation").asDouble()).isGreaterThan(0.0);
    }
    assertThat(api.post("/v1/predictions", request).body()).as("same seed, same reply")
        .isEqualTo(response.body());

    JsonNode metadata = json.readTree(api.get("/v2/models/fashion-supervised",
        ApiClient.INFERENCE_TOKEN).body());
    assertThat(metadata.get("parameters").get("predictionHead").asString())
        .isEqualTo("classifier");
  }

  private static Path exportModel() {
    try {
      return ExportedModels.exportSupervised(
          Files.createTempDirectory("byov-supervised").resolve("m"), BayesianScope.Kind.LAST_K,
          0.05);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
