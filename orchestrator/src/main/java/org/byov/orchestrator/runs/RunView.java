package org.byov.orchestrator.runs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.run.RunSpec;
import org.byov.common.task.Progress;

/** A run as the runs API returns it. */
@Schema(description = "A run: its spec, state, progress, tasks and links.")
public record RunView(
    @Schema(description = "Run id.") UUID id,
    @Schema(description = "Model name the run registers under.") String modelName,
    @Schema(description = "Training method.") String method,
    @Schema(description = "QUEUED, TRAINING, EVALUATING, SUCCEEDED, FAILED or CANCELLED.")
        RunStatus status,
    @Schema(description = "The run spec with defaults filled in.") RunSpec spec,
    @Schema(description = "Whether a cancel was requested.") boolean cancelRequested,
    @Schema(description = "Attempt number of the run's current (latest) task, 0 before any.")
        int attempts,
    @Schema(description = "Latest epoch with recorded metrics.") Integer currentEpoch,
    @Schema(description = "Metrics of the latest epoch.") Map<String, Double> latestMetrics,
    @Schema(description = "Why the run failed or was cancelled.") String error,
    @Schema(description = "The run's tasks, oldest first.") List<TaskSummary> tasks,
    @Schema(description = "Links to the run's artifacts, evaluation and history.") Links links,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt) {

  /** One task of a run. */
  public record TaskSummary(
      UUID id,
      String stage,
      String kind,
      String status,
      int attempt,
      String lastError,
      @Schema(
              description =
                  "Progress of the latest heartbeat of the current claim (epoch, step, images per"
                      + " second for training); null before the first heartbeat. It stays after"
                      + " the task ends and is cleared when the task is claimed again.")
          Progress progress) {}

  /** Links of a run; absent values are null. */
  public record Links(
      @Schema(description = "This run.") String self,
      @Schema(description = "Per-epoch metric history.") String metrics,
      @Schema(description = "Event log.") String events,
      @Schema(description = "URI of the trained model directory.") String artifact,
      @Schema(description = "Evaluation id in the evaluation service.") UUID evaluation,
      @Schema(description = "Registered model version.") String modelVersion) {}
}
