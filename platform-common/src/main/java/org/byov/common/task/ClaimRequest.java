package org.byov.common.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /internal/v1/tasks:claim}.
 *
 * @param kinds the task kinds this worker can run
 * @param workerId a stable name of the worker process, for logs and the task row
 * @param capabilities free-form facts about the worker (for example {@code device=cuda:0})
 * @param taskId claims only this task; a one-shot Kubernetes pod sets it
 */
public record ClaimRequest(
    @Schema(description = "Task kinds this worker can run.", example = "[\"TRAIN\"]")
        @NotEmpty
        List<TaskKind> kinds,
    @Schema(description = "Stable name of the worker process.", example = "trainer-7f9c")
        @NotBlank
        @Size(max = 200)
        String workerId,
    @Schema(description = "Free-form facts about the worker, such as its device.")
        Map<String, String> capabilities,
    @Schema(description = "Claim only this task (one-shot Kubernetes pods set it).")
        UUID taskId) {

  public ClaimRequest {
    capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
  }
}
