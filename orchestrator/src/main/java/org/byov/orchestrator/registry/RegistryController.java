package org.byov.orchestrator.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.byov.common.security.Caller;
import org.byov.common.task.TaskResult;
import org.byov.orchestrator.tasks.TaskRow;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The model registry API: reads for runs and inference tokens, changes for admins. */
@RestController
@Tag(name = "models", description = "Model registry: versions, production, promotion audit")
public class RegistryController {

  private final ModelRegistry registry;
  private final EvaluationRequests evaluationRequests;
  private final JsonMapper json;

  public RegistryController(
      ModelRegistry registry, EvaluationRequests evaluationRequests, JsonMapper json) {
    this.registry = registry;
    this.evaluationRequests = evaluationRequests;
    this.json = json;
  }

  @Operation(summary = "List models with their latest and production versions")
  @GetMapping("/api/v1/models")
  public List<ModelSummary> models() {
    return registry.models();
  }

  @Operation(summary = "List the versions of a model, newest first")
  @GetMapping("/api/v1/models/{name}/versions")
  public List<ModelVersionView> versions(@PathVariable String name) {
    return registry.versions(name);
  }

  @Operation(summary = "Get one version")
  @GetMapping("/api/v1/models/{name}/versions/{version}")
  public ModelVersionView version(@PathVariable String name, @PathVariable int version) {
    return registry.version(name, version);
  }

  @Operation(summary = "Get the production version", description = "404 when none is promoted.")
  @GetMapping("/api/v1/models/{name}/production")
  public ModelVersionView production(@PathVariable String name) {
    return registry.production(name);
  }

  @Operation(summary = "Promotion audit trail, newest first")
  @GetMapping("/api/v1/models/{name}/promotions")
  public List<PromotionView> promotions(@PathVariable String name) {
    return registry.promotions(name);
  }

  @Operation(summary = "Promote a version to production")
  @PostMapping("/api/v1/models/{name}/versions/{version}:promote")
  public ModelVersionView promote(
      @PathVariable String name,
      @PathVariable int version,
      @Valid @RequestBody(required = false) PromotionRequest request) {
    return registry.promote(name, version, caller(), reason(request));
  }

  @Operation(summary = "Roll back to the previous production version")
  @PostMapping("/api/v1/models/{name}:rollback")
  public ModelVersionView rollback(
      @PathVariable String name, @Valid @RequestBody(required = false) PromotionRequest request) {
    return registry.rollback(name, caller(), reason(request));
  }

  @Operation(
      summary = "Evaluate an existing version",
      description = "202 with the EVAL task id. The model references of the version's run spec"
          + " are resolved again now; 422 naming the field when one no longer resolves.")
  @PostMapping("/api/v1/models/{name}/versions/{version}:evaluate")
  public ResponseEntity<Map<String, Object>> evaluate(
      @PathVariable String name, @PathVariable int version) {
    TaskRow task = evaluationRequests.evaluate(name, version, caller());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(Map.of("taskId", task.id(), "stage", task.stage(), "status", task.status().name()));
  }

  @Operation(summary = "On-demand evaluations of a version and their results")
  @GetMapping("/api/v1/models/{name}/versions/{version}/evaluations")
  public List<Map<String, Object>> evaluations(@PathVariable String name, @PathVariable int version) {
    return registry.evaluations(name, version).stream()
        .map(
            task -> {
              Map<String, Object> view = new java.util.LinkedHashMap<>();
              view.put("taskId", task.id());
              view.put("status", task.status().name());
              view.put("attempt", task.attempt());
              view.put(
                  "result",
                  task.resultJson() == null ? null : json.readValue(task.resultJson(), TaskResult.class));
              view.put("error", task.lastError());
              return view;
            })
        .toList();
  }

  @Operation(
      summary = "Evaluations applied to a version, newest first",
      description = "The registration's evaluation and every successful on-demand evaluation."
          + " The first one is what the version shows.")
  @GetMapping("/api/v1/models/{name}/versions/{version}/evaluation-history")
  public List<VersionEvaluationView> evaluationHistory(
      @PathVariable String name, @PathVariable int version) {
    return registry.evaluationHistory(name, version);
  }

  private static String caller() {
    return Caller.current().map(Caller::name).orElse("unknown");
  }

  private static String reason(PromotionRequest request) {
    return request == null ? null : request.reason();
  }
}
