package org.byov.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.NetworkLayout;
import org.byov.inference.TestModels;
import org.byov.inference.models.ModelCatalog;
import org.byov.inference.models.ModelVersionInfo;
import org.byov.inference.models.ServingModel;
import org.byov.inference.models.ServingNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Malformed and out-of-range requests that a client can send. Each must get a 4xx problem
 * document that names the request field as the client wrote it, never a 500 or a silent change
 * of the value.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference"
})
@org.springframework.context.annotation.Import(org.byov.inference.TestLoaderConfiguration.class)
class RequestEdgeCasesTest {

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
    // Spring caches the application context, so a test class with the same settings shares it.
    if (catalog.currentVersion("fashion").isEmpty()) {
      var model = TestModels.model("fashion", 3, BayesianScope.lastK(1), 1, 0.5);
      TestModels.setSigma(model, 0.05f);
      catalog.install(model);
    }
    if (catalog.currentVersion("headless").isEmpty()) {
      ServingNetwork network = ServingNetwork.build(Device.cpu(),
          new NetworkLayout("cnn", new ImageShape(1, 28, 28), BayesianScope.lastK(1), 0), 2);
      catalog.install(new ServingModel(
          new ModelVersionInfo("headless", 1, "memory:headless", null), TestModels.CONTRACT,
          network, null));
    }
  }

  @Test
  void oipNullInputIsRejected() {
    Map<String, Object> request = new HashMap<>();
    request.put("inputs", Collections.singletonList(null));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "inputs[0]");
  }

  @Test
  void oipNullOutputIsRejected() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", Collections.singletonList(null));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "outputs[0]");
  }

  @Test
  void oipOutputWithoutNameIsRejected() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", List.of(Map.of()));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "outputs[0]");
  }

  @Test
  void oipUnknownOutputIsRejected() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", List.of(Map.of("name", "no_such_output")));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "outputs[0].name");
  }

  @Test
  void oipHeadlessModelReturnsEmbeddingOutputs() {
    HttpResponse<String> response = api.post("/v2/models/headless/infer",
        body(oipRequest(1, TestModels.pixels(1))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode output : json.readTree(response.body()).get("outputs")) {
      names.add(output.get("name").asString());
    }
    assertThat(names).containsExactly("mean", "variance", "total_variance");
  }

  @Test
  void oipPixelErrorNamesTensorField() {
    double[] data = new double[2 * 784];
    Arrays.fill(data, 0.5);
    data[2 * 784 - 1] = 2.0;

    assertProblem(api.post("/v2/models/fashion/infer", body(oipRequest(2, data))), 400,
        "inputs[0].data");
  }

  @Test
  void oipInvalidChannelsNameTensorShape() {
    Map<String, Object> request = new HashMap<>();
    request.put("inputs", List.of(Map.of("name", "images", "datatype", "FP32",
        "shape", new int[] {1, 2, 28, 28}, "data", new double[2 * 784])));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "inputs[0].shape");
  }

  @Test
  void oipSampleErrorNamesParameter() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("parameters", Map.of("samples", 0));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400,
        "parameters.samples");
  }

  @Test
  void oipSeedBeyondInt64IsRejected() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("parameters", Map.of("seed", BigInteger.TWO.pow(64).add(BigInteger.valueOf(5))));

    assertProblem(api.post("/v2/models/fashion/infer", body(request)), 400, "parameters.seed");
  }

  @Test
  void oipUnknownOutputListsValidNames() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", List.of(Map.of("name", "mean"), Map.of("name", "no_such_output")));

    HttpResponse<String> response = api.post("/v2/models/fashion/infer", body(request));

    assertProblem(response, 400, "outputs[1].name");
    String detail = json.readTree(response.body()).get("detail").asString();
    assertThat(detail).contains("no_such_output");
    assertThat(detail).contains("total_variance");
    assertThat(detail).contains("probabilities");
  }

  @Test
  void oipHeadlessModelRejectsPredictionOutput() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", List.of(Map.of("name", "probabilities")));

    HttpResponse<String> response = api.post("/v2/models/headless/infer", body(request));

    assertProblem(response, 400, "outputs[0].name");
    assertThat(json.readTree(response.body()).get("detail").asString())
        .contains("no prediction head");
  }

  @Test
  void oipHeadlessModelReturnsRequestedEmbeddingOutput() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("outputs", List.of(Map.of("name", "total_variance")));

    HttpResponse<String> response = api.post("/v2/models/headless/infer", body(request));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode outputs = json.readTree(response.body()).get("outputs");
    assertThat(outputs.size()).isEqualTo(1);
    assertThat(outputs.get(0).get("name").asString()).isEqualTo("total_variance");
  }

  @Test
  void oipPixelErrorNamesFlatDataIndex() {
    double[] data = new double[2 * 784];
    Arrays.fill(data, 0.5);
    data[784 + 5] = -0.1;

    assertField(api.post("/v2/models/fashion/infer", body(oipRequest(2, data))),
        "inputs[0].data[789]");
  }

  @Test
  void oipSamplesBeyondInt32NamesParameter() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("parameters", Map.of("samples", 2147483648L));

    assertField(api.post("/v2/models/fashion/infer", body(request)), "parameters.samples");
  }

  @Test
  void oipFractionalSeedIsRejected() {
    Map<String, Object> request = oipRequest(1, TestModels.pixels(1));
    request.put("parameters", Map.of("seed", 1.5));

    assertField(api.post("/v2/models/fashion/infer", body(request)), "parameters.seed");
  }

  @Test
  void oipFractionalShapeIsRejected() {
    Map<String, Object> request = new HashMap<>();
    request.put("inputs", List.of(Map.of("name", "images", "datatype", "FP32",
        "shape", new double[] {1, 1, 28.5, 28}, "data", TestModels.pixels(1))));

    assertField(api.post("/v2/models/fashion/infer", body(request)), "inputs[0].shape");
  }

  @Test
  void oipDatatypeOtherThanFp32IsRejected() {
    for (String datatype : List.of("FP64", "UINT8", "fp32")) {
      Map<String, Object> request = new HashMap<>();
      request.put("inputs", List.of(Map.of("name", "images", "datatype", datatype,
          "shape", new int[] {1, 1, 28, 28}, "data", TestModels.pixels(1))));

      assertField(api.post("/v2/models/fashion/infer", body(request)), "inputs[0].datatype");
    }
  }

  @Test
  void oipMissingDatatypeIsRejected() {
    Map<String, Object> request = new HashMap<>();
    request.put("inputs", List.of(Map.of("name", "images",
        "shape", new int[] {1, 1, 28, 28}, "data", TestModels.pixels(1))));

    assertField(api.post("/v2/models/fashion/infer", body(request)), "inputs[0].datatype");
  }

  @Test
  void samplesBeyondInt32NamesField() {
    HttpResponse<String> response = embeddings("\"samples\":2147483648");

    assertProblem(response, 400, "samples");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("field").asString()).isEqualTo("samples");
    String detail = problem.get("detail").asString();
    assertThat(detail).startsWith("samples");
    assertThat(detail).contains("out of range");
    assertThat(detail).doesNotContain("malformed JSON");
  }

  @Test
  void fractionalSamplesAreRejected() {
    HttpResponse<String> response = embeddings("\"samples\":1.5");

    assertProblem(response, 400, "samples");
    assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("samples");
    assertThat(json.readTree(response.body()).get("detail").asString()).contains("samples");
  }

  @Test
  void misspeltFieldIsRejected() {
    HttpResponse<String> response = embeddings("\"sample\":5");

    assertProblem(response, 400, "sample");
    assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("sample");
    assertThat(json.readTree(response.body()).get("detail").asString()).contains("unknown field");
  }

  @Test
  void quotedNumberIsRejected() {
    HttpResponse<String> response = embeddings("\"samples\":\"8\"");

    assertProblem(response, 400, "samples");
    assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("samples");
  }

  @Test
  void numberForBooleanIsRejected() {
    HttpResponse<String> response = embeddings("\"returnSamples\":1");

    assertProblem(response, 400, "returnSamples");
    assertThat(json.readTree(response.body()).get("field").asString())
        .isEqualTo("returnSamples");
  }

  @Test
  void arrayBodyIsRejected() {
    HttpResponse<String> response = api.post("/v1/embeddings", "[1,2]");

    assertProblem(response, 400, "body");
    assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("body");
    assertThat(json.readTree(response.body()).get("detail").asString()).contains("JSON object");
  }

  /** The protocol lets a tensor carry {@code parameters}; OIP requests keep accepting them. */
  @Test
  void oipAcceptsTensorParameters() {
    HttpResponse<String> response = api.post("/v2/models/fashion/infer", body(
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

  private Map<String, Object> oipRequest(int batch, double[] data) {
    Map<String, Object> request = new HashMap<>();
    request.put("parameters", Map.of("samples", 4, "seed", 1));
    request.put("inputs", List.of(Map.of("name", "images", "datatype", "FP32",
        "shape", new int[] {batch, 1, 28, 28}, "data", data)));
    return request;
  }

  /** Asserts a problem document with {@code status} whose {@code field} starts with {@code field}. */
  private void assertProblem(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    if (field != null) {
      assertThat(problem.has("field")).as(response.body()).isTrue();
      assertThat(problem.get("field").asString()).as(response.body()).startsWith(field);
    }
  }

  /** Asserts a 400 problem document whose {@code field} is exactly {@code field}. */
  private void assertField(HttpResponse<String> response, String field) {
    assertProblem(response, 400, field);
    assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo(field);
  }

  private String body(Object value) {
    return json.writeValueAsString(value);
  }
}
