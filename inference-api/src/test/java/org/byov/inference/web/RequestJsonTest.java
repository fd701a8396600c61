package org.byov.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestModels;
import org.byov.inference.models.ModelCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON that parses but does not fit a /v1 request: each case gets 400 with a problem document
 * whose {@code field} names the request field, instead of a silent default, a silently changed
 * value or "malformed JSON".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference"
})
@org.springframework.context.annotation.Import(org.byov.inference.TestLoaderConfiguration.class)
class RequestJsonTest {

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  JsonMapper json;

  ApiClient api;

  @BeforeEach
  void install() {
    api = new ApiClient(port);
    if (catalog.currentVersion("fashion").isEmpty()) {
      catalog.install(TestModels.model("fashion", 3, BayesianScope.lastK(1), 1, 0.5));
    }
  }

  @Test
  void misspeltFieldIsRejected() {
    assertRejected(embeddings("\"sample\":5"), "sample", "unknown field");
  }

  @Test
  void fractionalSamplesAreRejected() {
    assertRejected(embeddings("\"samples\":1.5"), "samples", null);
  }

  @Test
  void samplesBeyondIntRangeNameField() {
    HttpResponse<String> response = embeddings("\"samples\":2147483648");

    assertRejected(response, "samples", "out of range");
    assertThat(json.readTree(response.body()).get("detail").asString())
        .doesNotContain("malformed JSON");
  }

  @Test
  void quotedNumberIsRejected() {
    assertRejected(embeddings("\"samples\":\"8\""), "samples", null);
  }

  @Test
  void numberForBooleanIsRejected() {
    assertRejected(embeddings("\"returnSamples\":1"), "returnSamples", null);
  }

  @Test
  void arrayBodyIsRejected() {
    assertRejected(api.post("/v1/embeddings", "[1,2]"), "body", "JSON object");
  }

  /** The protocol lets a tensor carry {@code parameters}; OIP requests keep accepting them. */
  @Test
  void oipAcceptsTensorParameters() {
    HttpResponse<String> response = api.post("/v2/models/fashion/infer", json.writeValueAsString(
        Map.of("id", "request-1", "parameters", Map.of("samples", 4, "seed", 1),
            "inputs", List.of(Map.of("name", "images", "datatype", "FP32",
                "shape", new int[] {1, 1, 28, 28}, "data", TestModels.pixels(1),
                "parameters", Map.of("content_type", "pixels"))))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** Posts a valid embeddings request for one image with {@code extra} added to its fields. */
  private HttpResponse<String> embeddings(String extra) {
    return api.post("/v1/embeddings", "{\"model\":\"fashion\",\"images\":[{\"pixels\":"
        + Arrays.toString(TestModels.pixels(1)) + "}]," + extra + "}");
  }

  private void assertRejected(HttpResponse<String> response, String field, String detailPart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("field").asString()).as(response.body()).isEqualTo(field);
    if (detailPart != null) {
      assertThat(problem.get("detail").asString()).contains(detailPart);
    }
  }
}
