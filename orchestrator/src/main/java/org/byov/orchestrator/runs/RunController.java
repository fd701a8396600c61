package org.byov.orchestrator.runs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.RunSpec;
import org.byov.common.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public runs API. */
@RestController
@Tag(name = "runs", description = "Create, follow and cancel training runs")
public class RunController {

  private final RunService service;

  public RunController(RunService service) {
    this.service = service;
  }

  @Operation(
      summary = "Create a run",
      description =
          "201 with the run. With Idempotency-Key, a retry with the same body returns the first"
              + " run (200, Idempotent-Replayed: true); the same key with another body gets 422.")
  @PostMapping("/api/v1/runs")
  public ResponseEntity<RunView> create(
      @Parameter(description = "Client-chosen key that makes retries safe (max 200 characters).")
          @RequestHeader(name = "Idempotency-Key", required = false)
          @Size(min = 1, max = 200)
          String idempotencyKey,
      @Valid @RequestBody RunSpec spec) {
    RunService.Created created = service.create(caller(), idempotencyKey, spec);
    if (created.replayed()) {
      return ResponseEntity.ok().header("Idempotent-Replayed", "true").body(created.run());
    }
    return ResponseEntity.created(URI.create("/api/v1/runs/" + created.run().id())).body(created.run());
  }

  @Operation(summary = "List runs, newest first")
  @GetMapping("/api/v1/runs")
  public RunPage list(
      @Parameter(description = "Only runs in this state.") @RequestParam(required = false)
          RunStatus status,
      @Parameter(description = "Only runs of this method: byov, byol or supervised-bbb.")
          @RequestParam(required = false)
          @Pattern(regexp = "byov|byol|supervised-bbb", message = "must be byov, byol or supervised-bbb")
          String method,
      @Parameter(description = "Page number, from 0.") @RequestParam(defaultValue = "0") @Min(0)
          int page,
      @Parameter(description = "Page size, 1 to 200.") @RequestParam(defaultValue = "20") @Min(1) @Max(200)
          int size) {
    return service.list(status, method, page, size);
  }

  @Operation(summary = "Get a run: status, attempts, epoch, latest metrics, links")
  @GetMapping("/api/v1/runs/{id}")
  public RunView get(@PathVariable UUID id) {
    return service.get(id);
  }

  @Operation(summary = "Per-epoch metric history of a run")
  @GetMapping("/api/v1/runs/{id}/metrics")
  public List<EpochMetrics> metrics(@PathVariable UUID id) {
    return service.metrics(id);
  }

  @Operation(summary = "Event log of a run")
  @GetMapping("/api/v1/runs/{id}/events")
  public List<RunRepository.RunEvent> events(@PathVariable UUID id) {
    return service.events(id);
  }

  @Operation(summary = "Cancel a run", description = "202; the run becomes CANCELLED once its worker stops.")
  @PostMapping("/api/v1/runs/{id}:cancel")
  public ResponseEntity<RunView> cancel(@PathVariable UUID id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(service.cancel(id, caller()));
  }

  @Operation(
      summary = "Launch a run's job",
      description = "For runs created while auto-launch is off; 409 when the run was launched already.")
  @PostMapping("/api/v1/runs/{id}:launch")
  public ResponseEntity<RunView> launch(@PathVariable UUID id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(service.launch(id));
  }

  @Operation(
      summary = "Delete a run's checkpoints",
      description = "204; 409 while the run is active or its model version is in production.")
  @DeleteMapping("/api/v1/runs/{id}")
  public ResponseEntity<Void> delete(@PathVariable UUID id) {
    service.deleteCheckpoints(id, caller());
    return ResponseEntity.noContent().build();
  }

  private static String caller() {
    return Caller.current()
        .map(Caller::name)
        .orElseThrow(() -> new ApiProblemException(HttpStatus.UNAUTHORIZED, "Unauthorized", "No caller"));
  }
}
