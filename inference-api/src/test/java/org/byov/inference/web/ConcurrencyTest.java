package org.byov.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestLoaderConfiguration;
import org.byov.inference.TestModels;
import org.byov.inference.models.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.batching.max-delay=5ms"
})
@Import(TestLoaderConfiguration.class)
class ConcurrencyTest {

  private static final int THREADS = 16;
  private static final int REQUESTS_PER_THREAD = 200;
  /** Distinct requests (image and seed); request r of the load repeats distinct request r % 40. */
  private static final int DISTINCT = 40;

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  JsonMapper json;

  /**
   * Concurrent requests are merged into micro-batches, so each image runs next to others. The
   * noise of an image depends only on its request's seed and its index, so the reply must equal
   * the reply of the same request sent alone. Batched kernels may sum in another order, so values
   * are compared to 1e-5 (float rounding of a 256-wide dot product is about 1e-7 relative).
   * Request r of the load repeats distinct request r % 40, so 40 sequential calls are the
   * reference for all 3,200 concurrent ones.
   */
  @Test
  void concurrentRepliesEqualSequentialReplies() throws Exception {
    var model = TestModels.model("fashion", 1, BayesianScope.lastK(1), 21);
    TestModels.setSigma(model, 0.05f);
    catalog.install(model);
    ApiClient api = new ApiClient(port);
    int total = THREADS * REQUESTS_PER_THREAD;

    List<JsonNode> sequential = new ArrayList<>();
    for (int r = 0; r < DISTINCT; r++) {
      sequential.add(send(api, r));
    }

    ExecutorService clients = Executors.newFixedThreadPool(THREADS);
    List<Future<List<JsonNode>>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(clients.submit(() -> {
        List<JsonNode> replies = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
          replies.add(send(api, thread * REQUESTS_PER_THREAD + i));
        }
        return replies;
      }));
    }
    List<JsonNode> concurrent = new ArrayList<>();
    for (Future<List<JsonNode>> future : futures) {
      concurrent.addAll(future.get());
    }
    clients.shutdown();

    for (int r = 0; r < total; r++) {
      assertSameEmbedding(concurrent.get(r), sequential.get(r % DISTINCT), r);
    }
  }

  private JsonNode send(ApiClient api, int request) {
    int distinct = request % DISTINCT;
    HttpResponse<String> response = api.post("/v1/embeddings", json.writeValueAsString(Map.of(
        "model", "fashion",
        "images", List.of(Map.of("pixels", TestModels.pixels(distinct)),
            Map.of("pixels", TestModels.pixels(distinct % 7 + 100))),
        "samples", 8,
        "seed", distinct)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  /**
   * Compares means and standard deviations to 1e-5. The variance itself is compared through its
   * square root because a variance of values that agree to 1e-7 can differ more in relative
   * terms when it is small.
   */
  private static void assertSameEmbedding(JsonNode actual, JsonNode expected, int request) {
    for (int i = 0; i < 2; i++) {
      JsonNode a = actual.get("data").get(i);
      JsonNode e = expected.get("data").get(i);
      for (int d = 0; d < 256; d++) {
        assertThat(a.get("mean").get(d).asDouble()).as("request %d image %d mean[%d]", request, i, d)
            .isCloseTo(e.get("mean").get(d).asDouble(), within(1e-5));
        assertThat(Math.sqrt(a.get("variance").get(d).asDouble()))
            .as("request %d image %d std[%d]", request, i, d)
            .isCloseTo(Math.sqrt(e.get("variance").get(d).asDouble()), within(1e-5));
      }
    }
  }
}
