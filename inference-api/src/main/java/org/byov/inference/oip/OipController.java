package org.byov.inference.oip;

import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.byov.core.metrics.EmbeddingVariance;
import org.byov.inference.models.ModelCatalog;
import org.byov.inference.models.ModelVersionInfo;
import org.byov.inference.models.ServingModel;
import org.byov.inference.predictions.Predictor;
import org.byov.inference.predictions.PredictionsResponse;
import org.byov.inference.web.InferenceMetrics;
import org.byov.inference.web.InferenceProblem;
import org.byov.inference.web.InferenceService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol v2 routes (as served by KServe and Triton): health, model metadata,
 * model readiness and inference, each model route also under {@code /versions/{version}}.
 * Inference takes one FP32 input {@code images} {@code [B, C, H, W]} with values in 0..1 and
 * returns {@code mean} {@code [B, D]}, {@code variance} {@code [B, D]}, {@code total_variance}
 * {@code [B]} and, for a model with a prediction head, {@code probabilities} {@code [B, K]}, {@code
 * predicted_class} (INT64), {@code predictive_entropy}, {@code mutual_information} and {@code
 * abstain} (BOOL), each {@code [B]}.
 */
@RestController
public class OipController {

  private final ModelCatalog catalog;
  private final InferenceService inference;
  private final InferenceMetrics metrics;
  private final OipRequestValidator validator;

  public OipController(ModelCatalog catalog, InferenceService inference,
      InferenceMetrics metrics) {
    this.catalog = catalog;
    this.inference = inference;
    this.metrics = metrics;
    this.validator = new OipRequestValidator(inference.limits());
  }

  @Operation(summary = "Liveness (open)")
  @GetMapping("/v2/health/live")
  public Map<String, Boolean> live() {
    return Map.of("live", true);
  }

  @Operation(summary = "Readiness (open): 200 once a model is loaded and, with"
      + " byov.inference.registry.models=*, every followed model; 503 before")
  @GetMapping("/v2/health/ready")
  public ResponseEntity<Map<String, Boolean>> ready() {
    boolean ready = catalog.ready();
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("ready", ready));
  }

  @Operation(summary = "Model metadata of the production version: versions, input and output"
      + " tensors")
  @GetMapping("/v2/models/{name}")
  public Map<String, Object> metadata(@PathVariable String name) {
    return metadataOf(name, null);
  }

  @Operation(summary = "Model metadata of one version, loaded on demand when it is not served")
  @GetMapping("/v2/models/{name}/versions/{version}")
  public Map<String, Object> versionMetadata(@PathVariable String name,
      @PathVariable String version) {
    return metadataOf(name, parseVersion(version));
  }

  private Map<String, Object> metadataOf(String name, Integer version) {
    ServingModel model = catalog.acquire(name, version);
    try {
      var contract = model.contract();
      int dim = model.network().embeddingDim();
      List<Map<String, Object>> outputs = new ArrayList<>(List.of(
          tensorMetadata("mean", "FP32", -1, dim),
          tensorMetadata("variance", "FP32", -1, dim),
          tensorMetadata("total_variance", "FP32", -1)));
      if (model.head() != null) {
        outputs.add(tensorMetadata("probabilities", "FP32", -1, model.head().classes()));
        outputs.add(tensorMetadata("predicted_class", "INT64", -1));
        outputs.add(tensorMetadata("predictive_entropy", "FP32", -1));
        outputs.add(tensorMetadata("mutual_information", "FP32", -1));
        outputs.add(tensorMetadata("abstain", "BOOL", -1));
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("name", name);
      metadata.put("versions", catalog.servedVersions(name).stream().map(String::valueOf)
          .toList());
      metadata.put("platform", "byov-djl");
      metadata.put("inputs", List.of(tensorMetadata(OipRequestValidator.INPUT_NAME, "FP32", -1,
          contract.channels(), contract.height(), contract.width())));
      metadata.put("outputs", outputs);
      metadata.put("parameters", Map.of("version", Integer.toString(model.info().version()),
          "predictionHead", model.head() == null ? "none" : model.head().kind(),
          "samples", "1 to " + inference.limits().maxSamples() + ", default "
              + inference.limits().defaultSamples(), "seed", "INT64, optional",
          "classNames", contract.classNames()));
      return metadata;
    } finally {
      model.release();
    }
  }

  @Operation(summary = "Model readiness: 200 when the production version is loaded, 503 before,"
      + " 404 for an unknown model")
  @GetMapping("/v2/models/{name}/ready")
  public ResponseEntity<Map<String, Object>> modelReady(@PathVariable String name) {
    if (!catalog.serves(name)) {
      throw InferenceProblem.notFound("Model '" + name + "' is not served here");
    }
    return readiness(name, catalog.currentVersion(name).isPresent());
  }

  @Operation(summary = "Version readiness: 200 when loaded, 503 when not loaded yet (the first"
      + " request for it loads it), 404 for an unknown version")
  @GetMapping("/v2/models/{name}/versions/{version}/ready")
  public ResponseEntity<Map<String, Object>> versionReady(@PathVariable String name,
      @PathVariable String version) {
    return readiness(name, catalog.versionReady(name, parseVersion(version)));
  }

  private static ResponseEntity<Map<String, Object>> readiness(String name, boolean ready) {
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("name", name, "ready", ready));
  }

  @Operation(summary = "Inference on the production version: images [B, C, H, W] in, mean,"
      + " variance and predictions out")
  @PostMapping("/v2/models/{name}/infer")
  public OipInferResponse infer(@PathVariable String name, @RequestBody OipInferRequest request) {
    return metrics.time("oip-infer", () -> run(name, null, request));
  }

  @Operation(summary = "Inference on one version, loaded on demand when it is not served")
  @PostMapping("/v2/models/{name}/versions/{version}/infer")
  public OipInferResponse versionInfer(@PathVariable String name, @PathVariable String version,
      @RequestBody OipInferRequest request) {
    Integer parsed = parseVersion(version);
    return metrics.time("oip-infer", () -> run(name, parsed, request));
  }

  /** Parses a version path segment: registry versions count from 1, and a local model is 0. */
  private static Integer parseVersion(String version) {
    try {
      int parsed = Integer.parseInt(version);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw InferenceProblem.invalidField("version", "Invalid model version '" + version
        + "'; a version is a non-negative integer, as the model registry numbers them");
  }

  private OipInferResponse run(String name, Integer version, OipInferRequest request) {
    OipRequestValidator.InferenceInputs inputs = validator.validate(request);
    return inference.sample(name, version, inputs.images(), inputs.samples(), inputs.seed(),
        inputs.fields(), model -> OipRequestValidator.selectOutputs(request, model),
        sampled -> respond(request, sampled));
  }

  private OipInferResponse respond(OipInferRequest request, InferenceService.Sampled sampled) {
    ServingModel model = sampled.model();
    // run() checked the request against this model with selectOutputs before inference, so a
    // selected prediction output means that the model has a head.
    Set<String> requested = OipRequestValidator.selectOutputs(request, model);
    boolean predictions = requested.stream()
        .anyMatch(OipRequestValidator.PREDICTION_OUTPUTS::contains);
    int batch = sampled.samples().length;
    int dim = model.network().embeddingDim();
    List<Object> mean = new ArrayList<>(batch * dim);
    List<Object> variance = new ArrayList<>(batch * dim);
    List<Object> total = new ArrayList<>(batch);
    List<PredictionsResponse.Prediction> results = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      float[][] imageSamples = sampled.samples()[i];
      EmbeddingVariance spread = EmbeddingVariance.of(imageSamples);
      metrics.recordVariance(spread.total());
      for (float value : org.byov.inference.embeddings.EmbeddingStatistics.mean(imageSamples)) {
        mean.add(value);
      }
      for (double value : spread.perDimension()) {
        variance.add(value);
      }
      total.add(spread.total());
      if (predictions) {
        PredictionsResponse.Prediction prediction =
            Predictor.predict(model, i, imageSamples, sampled.seed());
        if (prediction.abstain()) {
          metrics.recordAbstained();
        }
        results.add(prediction);
      }
    }

    List<OipTensor> outputs = new ArrayList<>();
    add(outputs, requested, new OipTensor("mean", new long[] {batch, dim}, "FP32", mean));
    add(outputs, requested, new OipTensor("variance", new long[] {batch, dim}, "FP32", variance));
    add(outputs, requested, new OipTensor("total_variance", new long[] {batch}, "FP32", total));
    if (predictions) {
      addPredictionOutputs(outputs, requested, results, model.head().classes());
    }
    Map<String, Object> parameters = Map.of("samples", sampled.sampleCount(), "seed",
        sampled.seed());
    ModelVersionInfo info = model.info();
    return new OipInferResponse(info.name(), Integer.toString(info.version()), request.id(),
        parameters, outputs);
  }

  private static void addPredictionOutputs(List<OipTensor> outputs, Set<String> requested,
      List<PredictionsResponse.Prediction> results, int classes) {
    int batch = results.size();
    List<Object> probabilities = new ArrayList<>(batch * classes);
    List<Object> predicted = new ArrayList<>(batch);
    List<Object> entropy = new ArrayList<>(batch);
    List<Object> mutual = new ArrayList<>(batch);
    List<Object> abstain = new ArrayList<>(batch);
    for (PredictionsResponse.Prediction result : results) {
      for (double p : result.probabilities()) {
        probabilities.add(p);
      }
      predicted.add((long) result.predictedIndex());
      entropy.add(result.predictiveEntropy());
      mutual.add(result.mutualInformation());
      abstain.add(result.abstain());
    }
    add(outputs, requested, new OipTensor("probabilities", new long[] {batch, classes}, "FP32",
        probabilities));
    add(outputs, requested, new OipTensor("predicted_class", new long[] {batch}, "INT64", predicted));
    add(outputs, requested, new OipTensor("predictive_entropy", new long[] {batch}, "FP32", entropy));
    add(outputs, requested, new OipTensor("mutual_information", new long[] {batch}, "FP32", mutual));
    add(outputs, requested, new OipTensor("abstain", new long[] {batch}, "BOOL", abstain));
  }

  private static void add(List<OipTensor> outputs, Set<String> requested, OipTensor tensor) {
    if (requested.contains(tensor.name())) {
      outputs.add(tensor);
    }
  }

  private static Map<String, Object> tensorMetadata(String name, String datatype, long... shape) {
    return Map.of("name", name, "datatype", datatype, "shape", shape);
  }
}
