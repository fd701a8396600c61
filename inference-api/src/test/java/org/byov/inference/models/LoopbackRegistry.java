package org.byov.inference.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model registry on loopback that serves the routes the inference API reads, in the
 * orchestrator's JSON: {@code GET /api/v1/models} (models ordered by name, with latest and
 * production versions), {@code GET /api/v1/models/{name}/production} and {@code GET
 * /api/v1/models/{name}/versions/{version}}. Each version's artifact URI is a path relative to the
 * artifacts root. A request without the bearer token {@link #TOKEN} gets 401 and is counted.
 */
final class LoopbackRegistry implements AutoCloseable {

  static final String TOKEN = "registry-token";

  private static final Pattern MODEL_ROUTE =
      Pattern.compile("/api/v1/models/([^/]+)/(production|versions/(\\d+))");

  private final JsonMapper json = JsonMapper.builder().build();
  /** Versions of each model, by name in the registry's order: version to artifact URI. */
  private final SortedMap<String, Map<Integer, String>> versions = new ConcurrentSkipListMap<>();
  private final Map<String, Integer> production = new ConcurrentHashMap<>();
  private final AtomicInteger unauthorised = new AtomicInteger();
  private final HttpServer server;

  LoopbackRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start the loopback registry", e);
    }
    server.createContext("/api/v1/models", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Returns the base URL, for {@code byov.inference.registry.url}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds version {@code version} of {@code name}, whose model directory is {@code artifactUri}. */
  LoopbackRegistry version(String name, int version, String artifactUri) {
    versions.computeIfAbsent(name, key -> new ConcurrentHashMap<>()).put(version, artifactUri);
    return this;
  }

  /** Makes {@code version} the production version of {@code name}, as a promotion does. */
  LoopbackRegistry promote(String name, int version) {
    production.put(name, version);
    return this;
  }

  /** Removes {@code name} and its versions. */
  void remove(String name) {
    production.remove(name);
    versions.remove(name);
  }

  /** Returns the number of requests without the right bearer token. */
  int unauthorised() {
    return unauthorised.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthorised.incrementAndGet();
        reply(exchange, 401, Map.of("status", 401, "detail", "missing or invalid bearer token"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/api/v1/models")) {
        reply(exchange, 200, models());
        return;
      }
      Matcher route = MODEL_ROUTE.matcher(path);
      Map<String, Object> version = null;
      if (route.matches()) {
        String name = route.group(1);
        Integer number = route.group(3) == null
            ? production.get(name) : Integer.valueOf(route.group(3));
        version = number == null ? null : describe(name, number);
      }
      if (version == null) {
        reply(exchange, 404, Map.of("status", 404, "detail", "not found: " + path));
      } else {
        reply(exchange, 200, version);
      }
    } finally {
      exchange.close();
    }
  }

  private List<Map<String, Object>> models() {
    List<Map<String, Object>> models = new ArrayList<>();
    versions.forEach((name, numbers) -> {
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("name", name);
      model.put("latestVersion", numbers.keySet().stream().mapToInt(Integer::intValue).max()
          .orElse(0));
      model.put("productionVersion", production.get(name));
      model.put("versions", numbers.size());
      models.add(model);
    });
    return models;
  }

  /** Returns the registry's view of a version, or null when there is no such version. */
  private Map<String, Object> describe(String name, int version) {
    Map<Integer, String> numbers = versions.get(name);
    String artifactUri = numbers == null ? null : numbers.get(version);
    if (artifactUri == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", name);
    view.put("version", version);
    view.put("runId", null);
    view.put("artifactUri", artifactUri);
    view.put("inputContract", null);
    view.put("evaluationId", null);
    view.put("metrics", Map.of());
    view.put("abstainThreshold", null);
    view.put("production", Integer.valueOf(version).equals(production.get(name)));
    view.put("createdAt", null);
    return view;
  }

  private void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
