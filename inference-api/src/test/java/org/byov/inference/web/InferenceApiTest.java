package org.byov.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestModels;
import org.byov.inference.images.TestImages;
import org.byov.inference.models.ModelCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.security.tokens[1].name=runner",
    "byov.security.tokens[1].token=" + ApiClient.RUNS_TOKEN,
    "byov.security.tokens[1].roles=runs",
    "byov.security.tokens[2].name=operator",
    "byov.security.tokens[2].token=test-admin-token",
    "byov.security.tokens[2].roles=admin",
    "byov.security.tokens[3].name=prometheus",
    "byov.security.tokens[3].token=test-metrics-token",
    "byov.security.tokens[3].roles=metrics"
})
@org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics
@org.springframework.context.annotation.Import(org.byov.inference.TestLoaderConfiguration.class)
class InferenceApiTest {

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
      var model = TestModels.model("fashion", 3, BayesianScope.lastK(1), 1, 0.5);
      TestModels.setSigma(model, 0.05f);
      catalog.install(model);
      catalog.install(TestModels.model("plain", 1, BayesianScope.none(), 2, 1.0));
    }
  }

  @Test
  void embeddingsReturnMeanAndVariancePerImage() {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(raw(1), raw(2)), "samples", 16, "seed", 5)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode reply = json.readTree(response.body());
    assertThat(reply.get("model").asString()).isEqualTo("fashion");
    assertThat(reply.get("version").asInt()).isEqualTo(3);
    assertThat(reply.get("seed").asLong()).isEqualTo(5);
    assertThat(reply.get("data")).hasSize(2);
    JsonNode first = reply.get("data").get(0);
    assertThat(first.get("mean")).hasSize(256);
    assertThat(first.get("variance")).hasSize(256);
    assertThat(first.get("sampleCount").asInt()).isEqualTo(16);
    assertThat(first.has("samples")).isFalse();
    double sum = 0;
    for (JsonNode value : first.get("variance")) {
      sum += value.asDouble();
    }
    assertThat(first.get("totalVariance").asDouble()).isCloseTo(sum, within(1e-9 + sum * 1e-9));
    assertThat(sum).isGreaterThan(0);
  }

  @Test
  void sameSeedGivesSameReply() {
    String request = body(Map.of("model", "fashion", "images", List.of(raw(3)), "seed", 77));

    String first = api.post("/v1/embeddings", request).body();
    String second = api.post("/v1/embeddings", request).body();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void returnSamplesGivesEverySample() {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(raw(1)), "samples", 4, "returnSamples", true)));

    JsonNode samples = json.readTree(response.body()).get("data").get(0).get("samples");
    assertThat(samples).hasSize(4);
    assertThat(samples.get(0)).hasSize(256);
  }

  @Test
  void scopeNoneReplyHasZeroVariance() {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "plain",
        "images", List.of(raw(4)), "samples", 32)));

    JsonNode image = json.readTree(response.body()).get("data").get(0);
    assertThat(image.get("totalVariance").asDouble()).isEqualTo(0.0);
    for (JsonNode value : image.get("variance")) {
      assertThat(value.asDouble()).isEqualTo(0.0);
    }
  }

  @Test
  void pngEqualsSameRawPixels() {
    int[] levels = new int[784];
    double[] pixels = new double[784];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = (i * 37) % 256;
      pixels[i] = levels[i] / 255.0;
    }
    String png = TestImages.base64(TestImages.grayPng(28, 28, levels));

    JsonNode fromPng = embedding(Map.of("data", png));
    JsonNode fromRaw = embedding(Map.of("pixels", pixels));

    assertThat(fromPng.get("mean").toString()).isEqualTo(fromRaw.get("mean").toString());
  }

  @Test
  void otherSizesAndColourModesAreConverted() {
    String rgbPng = TestImages.base64(TestImages.solidRgb(56, 40, 0x336699, "png"));
    String jpeg = TestImages.base64(TestImages.solidRgb(28, 28, 0x808080, "jpeg"));

    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(Map.of("data", rgbPng), Map.of("data", "data:image/jpeg;base64," + jpeg),
            Map.of("pixels", new double[3 * 10 * 10], "shape", new int[] {3, 10, 10})))));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()).get("data")).hasSize(3);
  }

  @Test
  void predictionsCarryUncertaintyAndAbstain() {
    HttpResponse<String> response = api.post("/v1/predictions", body(Map.of("model", "fashion",
        "images", List.of(raw(1), raw(2), raw(3)), "samples", 32, "seed", 9)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode reply = json.readTree(response.body());
    assertThat(reply.get("abstainThreshold").asDouble()).isEqualTo(0.5);
    assertThat(reply.get("abstainScore").asString()).isEqualTo("max-probability");
    for (JsonNode prediction : reply.get("predictions")) {
      double total = 0;
      double max = 0;
      int best = -1;
      double entropy = 0;
      JsonNode probabilities = prediction.get("probabilities");
      assertThat(probabilities).hasSize(10);
      for (int k = 0; k < probabilities.size(); k++) {
        double p = probabilities.get(k).asDouble();
        total += p;
        entropy -= p > 0 ? p * Math.log(p) : 0;
        if (p > max) {
          max = p;
          best = k;
        }
      }
      // Hand checks: probabilities sum to 1, the prediction is the argmax, the entropy is
      // -sum p ln p of the returned probabilities, and 0 <= MI <= predictive entropy.
      assertThat(total).isCloseTo(1.0, within(1e-9));
      assertThat(prediction.get("predictedIndex").asInt()).isEqualTo(best);
      assertThat(prediction.get("predictedClass").asString()).isEqualTo(TestModels.CLASSES.get(best));
      assertThat(prediction.get("maxProbability").asDouble()).isEqualTo(max);
      assertThat(prediction.get("predictiveEntropy").asDouble()).isCloseTo(entropy, within(1e-9));
      assertThat(prediction.get("mutualInformation").asDouble()).isBetween(0.0, entropy);
      assertThat(prediction.get("abstain").asBoolean()).isEqualTo(max < 0.5);
    }
  }

  @Test
  void thresholdOfOneAbstainsOnEveryImage() {
    HttpResponse<String> response = api.post("/v1/predictions", body(Map.of("model", "plain",
        "images", List.of(raw(1), raw(2)))));

    for (JsonNode prediction : json.readTree(response.body()).get("predictions")) {
      assertThat(prediction.get("abstain").asBoolean()).isTrue();
      // Scope none: every sample is the same network, so there is no epistemic part.
      assertThat(prediction.get("mutualInformation").asDouble()).isEqualTo(0.0);
    }
  }

  @Test
  void oipInferReturnsNamedTensors() {
    double[] data = new double[2 * 784];
    System.arraycopy(TestModels.pixels(1), 0, data, 0, 784);
    System.arraycopy(TestModels.pixels(2), 0, data, 784, 784);
    HttpResponse<String> response = api.post("/v2/models/fashion/infer", body(Map.of(
        "id", "r1", "parameters", Map.of("samples", 8, "seed", 3),
        "inputs", List.of(Map.of("name", "images", "shape", new int[] {2, 1, 28, 28},
            "datatype", "FP32", "data", data)))));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode reply = json.readTree(response.body());
    assertThat(reply.get("model_name").asString()).isEqualTo("fashion");
    assertThat(reply.get("model_version").asString()).isEqualTo("3");
    assertThat(reply.get("id").asString()).isEqualTo("r1");
    List<String> names = new ArrayList<>();
    for (JsonNode output : reply.get("outputs")) {
      names.add(output.get("name").asString());
    }
    assertThat(names).containsExactly("mean", "variance", "total_variance", "probabilities",
        "predicted_class", "predictive_entropy", "mutual_information", "abstain");
    JsonNode mean = reply.get("outputs").get(0);
    assertThat(mean.get("shape").toString()).isEqualTo("[2,256]");
    assertThat(mean.get("data")).hasSize(512);

    // The same images and seed through /v1/embeddings give the same mean.
    JsonNode v1 = json.readTree(api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(raw(1), raw(2)), "samples", 8, "seed", 3))).body());
    for (int d = 0; d < 256; d++) {
      assertThat(mean.get("data").get(256 + d).asDouble())
          .isCloseTo(v1.get("data").get(1).get("mean").get(d).asDouble(), within(1e-5));
    }
  }

  @Test
  void oipMetadataAndReadiness() {
    JsonNode metadata = json.readTree(api.get("/v2/models/fashion", ApiClient.INFERENCE_TOKEN)
        .body());
    assertThat(metadata.get("versions").get(0).asString()).isEqualTo("3");
    assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,1,28,28]");

    assertThat(api.get("/v2/models/fashion/ready", ApiClient.INFERENCE_TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/v2/models/nope/ready", ApiClient.INFERENCE_TOKEN).statusCode())
        .isEqualTo(404);
    assertThat(api.get("/v2/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/v2/health/live", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  @Test
  void inferenceRoutesNeedInferenceRole() {
    String request = body(Map.of("model", "fashion", "images", List.of(raw(1))));

    assertProblem(api.post("/v1/embeddings", request, null), 401);
    assertProblem(api.post("/v1/embeddings", request, "wrong-token"), 401);
    assertProblem(api.post("/v1/embeddings", request, ApiClient.RUNS_TOKEN), 403);
    assertProblem(api.get("/v2/models/fashion", null), 401);
  }

  @Test
  void badInputGetsProblemDocuments() {
    String notBase64 = "%%% not base64 %%%";
    String notImage = TestImages.base64("hello, this is text".getBytes());
    String bomb = TestImages.base64(TestImages.pngHeaderClaiming(20_000, 20_000));
    double[] nanFree = TestModels.pixels(1);

    assertProblem(post(Map.of("data", notBase64)), 400, "images[0].data");
    assertProblem(post(Map.of("data", notImage)), 400, "images[0].data");
    assertProblem(post(Map.of("pixels", Arrays.copyOf(nanFree, 700))), 400, "images[0].pixels");
    assertProblem(post(Map.of("pixels", scaled(nanFree, 255))), 400, "images[0].pixels[");
    assertProblem(post(Map.of("data", bomb)), 413, "images[0].data");
    assertProblem(api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(raw(1)), "samples", 0))), 400, "samples");
    assertProblem(api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(raw(1)), "samples", 10_000))), 400, "samples");
    assertProblem(api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of()))), 400, "images");
    assertProblem(api.post("/v1/embeddings", body(Map.of("model", "nope",
        "images", List.of(raw(1))))), 404, null);
    assertProblem(api.post("/v1/embeddings", "{\"model\": \"fashion\", \"images\": ["), 400, null);
  }

  @Test
  void nanPixelsAreRejected() {
    StringBuilder pixels = new StringBuilder("NaN");
    for (int i = 1; i < 784; i++) {
      pixels.append(",0.5");
    }
    String request = "{\"model\":\"fashion\",\"images\":[{\"pixels\":[" + pixels + "]}]}";

    assertProblem(api.post("/v1/embeddings", request), 400, null);
    assertProblem(api.post("/v1/embeddings", request.replace("NaN", "\"NaN\"")), 400, null);
  }

  @Test
  void fiftyMegabyteBodyIsRejected() throws Exception {
    String reply = api.postRawBody("/v1/embeddings", 50L * 1024 * 1024);

    assertThat(reply).startsWith("HTTP/1.1 413");
    assertThat(reply).contains("Content-Type: application/problem+json");
    assertThat(reply).contains("\"field\":\"body\"");
  }

  @Test
  void prometheusExportsInferenceMetrics() {
    api.post("/v1/predictions", body(Map.of("model", "plain", "images", List.of(raw(1)))));

    HttpResponse<String> scrape = api.get("/actuator/prometheus", "test-admin-token");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("byov_inference_latency_seconds_bucket{")
        .contains("endpoint=\"predictions\"")
        .contains("byov_inference_batch_size_bucket{")
        .contains("byov_inference_queue_depth")
        .contains("byov_inference_variance_bucket{")
        .contains("byov_inference_abstained_total")
        .contains("byov_inference_model_loaded{");
    assertThat(api.get("/actuator/prometheus", ApiClient.INFERENCE_TOKEN).statusCode())
        .isEqualTo(403);
  }

  @Test
  void metricsTokenReadsOnlyPrometheus() {
    HttpResponse<String> scrape = api.get("/actuator/prometheus", "test-metrics-token");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("byov_inference_queue_depth");

    String request = body(Map.of("model", "plain", "images", List.of(raw(1))));
    assertProblem(api.post("/v1/predictions", request, "test-metrics-token"), 403);
    assertProblem(api.get("/v2/models/fashion", "test-metrics-token"), 403);
    assertProblem(api.get("/actuator/metrics", "test-metrics-token"), 403);
    assertThat(api.get("/actuator/metrics", "test-admin-token").statusCode()).isEqualTo(200);
  }

  private JsonNode embedding(Map<String, Object> image) {
    HttpResponse<String> response = api.post("/v1/embeddings", body(Map.of("model", "fashion",
        "images", List.of(image), "samples", 8, "seed", 1)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body()).get("data").get(0);
  }

  private HttpResponse<String> post(Map<String, Object> image) {
    return api.post("/v1/embeddings", body(Map.of("model", "fashion", "images", List.of(image))));
  }

  private void assertProblem(HttpResponse<String> response, int status) {
    assertProblem(response, status, null);
  }

  private void assertProblem(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    if (field != null) {
      assertThat(problem.get("field").asString()).startsWith(field);
    }
  }

  private String body(Object value) {
    return json.writeValueAsString(value);
  }

  private static Map<String, Object> raw(long seed) {
    return Map.of("pixels", TestModels.pixels(seed));
  }

  private static double[] scaled(double[] values, double factor) {
    double[] scaled = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      scaled[i] = values[i] * factor;
    }
    return scaled;
  }
}
