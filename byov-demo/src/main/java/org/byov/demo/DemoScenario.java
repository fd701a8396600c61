package org.byov.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The demo's steps once the platform runs: submit, follow, serve, summarise. */
final class DemoScenario {

  private static final List<String> TERMINAL = List.of("SUCCEEDED", "FAILED", "CANCELLED");
  private static final long INFERENCE_SEED = 7;

  private final Platform platform;
  private final PlatformClient client;
  private final DemoProfile profile;
  private final PrintStream out;

  DemoScenario(Platform platform, PlatformClient client, DemoProfile profile, PrintStream out) {
    this.platform = platform;
    this.client = client;
    this.profile = profile;
    this.out = out;
  }

  /** What the demo measured, for the summary and the end-to-end test. */
  record Outcome(boolean succeeded, Map<String, String> runIds, Map<String, String> statuses,
      Map<String, Map<String, Double>> headlineMetrics, Map<String, String> evaluationIds,
      Map<String, Double> inference, String table) {

    ObjectNode asJson(String database) {
      ObjectNode root = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
      root.put("database", database);
      root.put("succeeded", succeeded);
      root.putPOJO("runIds", runIds);
      root.putPOJO("statuses", statuses);
      root.putPOJO("headlineMetrics", headlineMetrics);
      root.putPOJO("evaluationIds", evaluationIds);
      root.putPOJO("inference", inference);
      root.put("table", table);
      return root;
    }
  }

  Outcome run() throws IOException, InterruptedException {
    String api = platform.orchestrator().baseUrl() + "/api/v1";
    Map<String, String> runIds = new LinkedHashMap<>();

    out.println();
    out.println("Submitting three runs over " + api + "/runs");
    runIds.put("supervised-bbb", submit(api, DemoRuns.supervised(profile)));
    runIds.put("byol", submit(api, DemoRuns.byol(profile)));
    runIds.put("byov",
        submit(api, DemoRuns.byov(profile, runIds.get("byol"), runIds.get("supervised-bbb"))));

    Map<String, JsonNode> finalRuns = follow(api, runIds);
    Map<String, String> statuses = new LinkedHashMap<>();
    finalRuns.forEach((label, run) -> statuses.put(label, run.path("status").asString()));
    boolean allSucceeded = statuses.values().stream().allMatch("SUCCEEDED"::equals);
    if (!allSucceeded) {
      reportFailures(finalRuns);
      return new Outcome(false, runIds, statuses, Map.of(), Map.of(), Map.of(), "");
    }

    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    Map<String, String> evaluationIds = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : finalRuns.entrySet()) {
      JsonNode links = entry.getValue().path("links");
      evaluationIds.put(entry.getKey(), links.path("evaluation").asString(""));
      metrics.put(entry.getKey(), productionMetrics(api, entry.getValue().path("modelName")
          .asString()));
    }

    Map<String, Double> inference = callInference();
    String table = SummaryTable.render(metrics.get("byov"), metrics.get("byol"),
        inferenceRows(inference));
    printSummary(table, metrics.get("byov"), evaluationIds);
    return new Outcome(true, runIds, statuses, metrics, evaluationIds, inference, table);
  }

  private String submit(String api, Map<String, Object> spec)
      throws IOException, InterruptedException {
    JsonNode run = client.post(api + "/runs", spec);
    String id = run.path("id").asString();
    out.printf("  %-24s run %s (%s)%n", spec.get("modelName"), id, spec.get("method"));
    return id;
  }

  /** Polls every run until all are finished, drawing one progress bar per run. */
  private Map<String, JsonNode> follow(String api, Map<String, String> runIds)
      throws IOException, InterruptedException {
    ProgressBoard board = new ProgressBoard(out, System.console() != null);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(quickOrDefault(20, 90)));
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    out.println();
    while (true) {
      for (Map.Entry<String, String> run : runIds.entrySet()) {
        JsonNode view = client.get(api + "/runs/" + run.getValue());
        latest.put(run.getKey(), view);
        board.update(view.path("modelName").asString(run.getKey()), view.path("status").asString(),
            view.path("currentEpoch").asInt(0), profile.epochs());
      }
      boolean finished = latest.values().stream()
          .allMatch(view -> TERMINAL.contains(view.path("status").asString()));
      if (finished) {
        return latest;
      }
      ServiceProcess exited = platform.firstExited();
      if (exited != null) {
        throw new IllegalStateException(
            exited.name() + " exited while runs were in progress; see " + exited.log());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("The runs did not finish in time; logs are in "
            + platform.orchestrator().log().getParent());
      }
      Thread.sleep(2_000);
    }
  }

  private int quickOrDefault(int quickValue, int defaultValue) {
    return profile == DemoProfile.QUICK ? quickValue : defaultValue;
  }

  private void reportFailures(Map<String, JsonNode> runs) {
    out.println();
    for (Map.Entry<String, JsonNode> run : runs.entrySet()) {
      String status = run.getValue().path("status").asString();
      if (!"SUCCEEDED".equals(status)) {
        out.printf("Run %s ended %s: %s%n", run.getKey(), status,
            run.getValue().path("error").asString("no error recorded"));
      }
    }
    out.println("Service logs: " + platform.orchestrator().log().getParent());
  }

  private Map<String, Double> productionMetrics(String api, String modelName)
      throws IOException, InterruptedException {
    JsonNode version = client.get(api + "/models/" + modelName + "/production");
    Map<String, Double> metrics = new LinkedHashMap<>();
    version.path("metrics").properties().forEach(entry ->
        metrics.put(entry.getKey(), entry.getValue().isNumber() ? entry.getValue().asDouble()
            : Double.NaN));
    return metrics;
  }

  /**
   * Calls the inference API for BYOV and BYOL on Fashion-MNIST test images and on MNIST digits,
   * and returns mean predictive entropy, mean BYOV embedding variance and latencies.
   */
  private Map<String, Double> callInference() throws IOException, InterruptedException {
    String inferenceUrl = platform.inferenceApi().baseUrl();
    awaitModel(inferenceUrl, DemoRuns.BYOV_MODEL);
    awaitModel(inferenceUrl, DemoRuns.BYOL_MODEL);

    DatasetRegistry datasets = DatasetRegistry.fromEnvironment();
    List<Map<String, Object>> test = images(datasets.load("fashion-mnist", DatasetSplit.TEST),
        profile.inferenceImages());
    List<Map<String, Object>> ood = images(datasets.load("mnist", DatasetSplit.TEST),
        profile.inferenceImages());

    Map<String, Double> results = new LinkedHashMap<>();
    for (String model : List.of(DemoRuns.BYOV_MODEL, DemoRuns.BYOL_MODEL)) {
      String method = model.equals(DemoRuns.BYOV_MODEL) ? "byov" : "byol";
      results.put(method + ".entropy.test", meanEntropy(inferenceUrl, model, test));
      results.put(method + ".entropy.ood", meanEntropy(inferenceUrl, model, ood));
      results.put(method + ".variance.test", meanVariance(inferenceUrl, model, test));
      results.put(method + ".variance.ood", meanVariance(inferenceUrl, model, ood));
      results.put(method + ".latencyMs.1", medianLatencyMs(inferenceUrl, model, test.subList(0, 1)));
      results.put(method + ".latencyMs.batch", medianLatencyMs(inferenceUrl, model, test));
    }
    return results;
  }

  private void awaitModel(String inferenceUrl, String model) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      try {
        client.get(inferenceUrl + "/v2/models/" + model + "/ready");
        return;
      } catch (IOException notReady) {
        Thread.sleep(2_000);
      }
    }
    throw new IllegalStateException("The inference API did not load " + model + " within 10 min; "
        + "see " + platform.inferenceApi().log());
  }

  private static List<Map<String, Object>> images(ImageSet set, int count) {
    // Evenly spaced indices, so the MNIST digits (stored digit by digit) cover every class.
    List<Map<String, Object>> images = new ArrayList<>();
    int n = Math.min(count, set.count());
    for (int i = 0; i < n; i++) {
      int index = (int) ((long) i * set.count() / n);
      double[] pixels = new double[set.imageSize()];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = set.pixel(index, p) / 255.0;
      }
      images.add(Map.of("pixels", pixels));
    }
    return images;
  }

  private double meanEntropy(String url, String model, List<Map<String, Object>> images)
      throws IOException, InterruptedException {
    JsonNode reply = client.post(url + "/v1/predictions", request(model, images));
    double sum = 0;
    int count = 0;
    for (JsonNode prediction : reply.path("predictions")) {
      sum += prediction.path("predictiveEntropy").asDouble();
      count++;
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private double meanVariance(String url, String model, List<Map<String, Object>> images)
      throws IOException, InterruptedException {
    JsonNode reply = client.post(url + "/v1/embeddings", request(model, images));
    double sum = 0;
    int count = 0;
    for (JsonNode embedding : reply.path("data")) {
      sum += embedding.path("totalVariance").asDouble();
      count++;
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Median wall time of five predictions calls, after one warm-up call. */
  private double medianLatencyMs(String url, String model, List<Map<String, Object>> images)
      throws IOException, InterruptedException {
    Map<String, Object> request = request(model, images);
    client.post(url + "/v1/predictions", request);
    double[] millis = new double[5];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      client.post(url + "/v1/predictions", request);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return millis[millis.length / 2];
  }

  private Map<String, Object> request(String model, List<Map<String, Object>> images) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("model", model);
    request.put("images", images);
    request.put("samples", 32);
    request.put("seed", INFERENCE_SEED);
    return request;
  }

  private Map<String, String[]> inferenceRows(Map<String, Double> inference) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Mean predictive entropy, test images", pair(inference, "entropy.test"));
    rows.put("Mean predictive entropy, MNIST digits", pair(inference, "entropy.ood"));
    rows.put("Mean embedding total variance, test", pair(inference, "variance.test"));
    rows.put("Mean embedding total variance, MNIST", pair(inference, "variance.ood"));
    rows.put("Inference p50, 1 image, S=32 (ms)", pair(inference, "latencyMs.1"));
    rows.put("Inference p50, " + profile.inferenceImages() + " images, S=32 (ms)",
        pair(inference, "latencyMs.batch"));
    return rows;
  }

  private static String[] pair(Map<String, Double> values, String key) {
    return new String[] {
        String.format(Locale.ROOT, "%.4f", values.getOrDefault("byov." + key, Double.NaN)),
        String.format(Locale.ROOT, "%.4f", values.getOrDefault("byol." + key, Double.NaN))};
  }

  private void printSummary(String table, Map<String, Double> byovMetrics,
      Map<String, String> evaluationIds) {
    out.println();
    out.println("BYOV against BYOL on Fashion-MNIST (OOD: MNIST digits), profile "
        + profile.name());
    out.println();
    out.print(table);
    Double pearson = byovMetrics.get("alignment.pearson");
    Double spearman = byovMetrics.get("alignment.spearman");
    if (pearson != null || spearman != null) {
      out.printf(Locale.ROOT,
          "%nUncertainty alignment of BYOV with supervised BBB: Pearson %.3f, Spearman %.3f%n",
          pearson == null ? Double.NaN : pearson, spearman == null ? Double.NaN : spearman);
    }
    if (profile == DemoProfile.QUICK) {
      out.println();
      out.println("NOTE: the quick profile trains too little to compare the methods; run the "
          + "default profile for that.");
    }
    out.println();
    java.nio.file.Path work = platform.orchestrator().log().getParent().getParent();
    out.println("Reports (also served at " + platform.evalService().baseUrl()
        + "/api/v1/evaluations/{id}/report while the services run):");
    evaluationIds.forEach((label, id) -> out.printf("  %-15s %s%n", label,
        work.resolve("artifacts/evaluations").resolve(id).resolve("report/index.html")));
    out.println("Artifacts and logs: " + work);
  }
}
