package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.byov.inference.TestLoaderConfiguration;
import org.byov.inference.TestModels;
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
 * Follows a registry on loopback: a small HTTP server that returns the production version of one
 * model and checks the inference role's token. Promotions happen while 16 clients send requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + ApiClient.INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.inference.registry.models=fashion",
    "byov.inference.registry.token=registry-token",
    "byov.inference.registry.poll-interval=50ms"
})
@Import(TestLoaderConfiguration.class)
class RegistryFollowerTest {

  private static final AtomicInteger PRODUCTION = new AtomicInteger(0);
  private static final AtomicInteger UNAUTHORISED = new AtomicInteger();
  private static final HttpServer REGISTRY = startRegistry();

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  JsonMapper json;

  @DynamicPropertySource
  static void registryUrl(DynamicPropertyRegistry properties) {
    properties.add("byov.inference.registry.url",
        () -> "http://127.0.0.1:" + REGISTRY.getAddress().getPort());
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.stop(0);
  }

  @Test
  void promotionsDuringLoadFailNoRequest() throws Exception {
    ApiClient api = new ApiClient(port);
    assertThat(api.get("/v2/health/ready", null).statusCode())
        .as("not ready before a version is promoted").isEqualTo(503);

    promote(1);
    assertThat(api.get("/v2/health/ready", null).statusCode()).isEqualTo(200);

    AtomicBoolean running = new AtomicBoolean(true);
    Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<List<String>>> failures = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      failures.add(clients.submit(() -> {
        List<String> failed = new ArrayList<>();
        int i = 0;
        while (running.get() || i < 5) {
          HttpResponse<String> response = api.post("/v1/predictions", json.writeValueAsString(
              Map.of("model", "fashion", "samples", 8, "seed", thread * 1000 + i,
                  "images", List.of(Map.of("pixels", TestModels.pixels(i))))));
          if (response.statusCode() != 200) {
            failed.add(response.statusCode() + " " + response.body());
          } else {
            versionsSeen.add(json.readTree(response.body()).get("version").asInt());
          }
          i++;
        }
        return failed;
      }));
    }

    for (int version = 2; version <= 4; version++) {
      waitForRequests(versionsSeen, version - 1);
      promote(version);
    }
    waitForRequests(versionsSeen, 4);
    running.set(false);

    List<String> failed = new ArrayList<>();
    for (Future<List<String>> future : failures) {
      failed.addAll(future.get());
    }
    clients.shutdown();
    assertThat(failed).isEmpty();
    assertThat(versionsSeen).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(catalog.currentVersion("fashion").orElseThrow().version()).isEqualTo(4);
    assertThat(UNAUTHORISED.get()).isZero();
  }

  /** Promotes {@code version} and waits until the service serves it. */
  private void promote(int version) {
    PRODUCTION.set(version);
    Poll.untilTrue(Duration.ofSeconds(60), "version " + version + " served",
        () -> catalog.currentVersion("fashion").map(ModelVersionInfo::version).orElse(0)
            == version);
  }

  private static void waitForRequests(Set<Integer> versionsSeen, int version) {
    Poll.untilTrue(Duration.ofSeconds(60), "a reply from version " + version,
        () -> versionsSeen.contains(version));
  }

  private static HttpServer startRegistry() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v1/models/fashion/production", exchange -> {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        int version = PRODUCTION.get();
        int status;
        String body;
        if (!"Bearer registry-token".equals(authorization)) {
          UNAUTHORISED.incrementAndGet();
          status = 401;
          body = "{\"status\":401}";
        } else if (version == 0) {
          status = 404;
          body = "{\"status\":404,\"detail\":\"no production version\"}";
        } else {
          status = 200;
          body = "{\"name\":\"fashion\",\"version\":" + version + ",\"runId\":null,"
              + "\"artifactUri\":\"runs/r" + version + "/model\",\"inputContract\":{"
              + "\"channels\":1,\"height\":28,\"width\":28,\"mean\":[0.286],\"std\":[0.353],"
              + "\"classNames\":" + classNames() + "},\"metrics\":{\"probeAccuracy\":0.8},"
              + "\"abstainThreshold\":0.4,\"production\":true,\"createdAt\":null}";
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

  private static String classNames() {
    StringBuilder names = new StringBuilder("[");
    for (String name : TestModels.CLASSES) {
      names.append(names.length() > 1 ? "," : "").append('"').append(name).append('"');
    }
    return names.append(']').toString();
  }
}
