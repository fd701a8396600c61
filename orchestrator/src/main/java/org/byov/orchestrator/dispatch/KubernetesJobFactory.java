package org.byov.orchestrator.dispatch;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the {@code batch/v1} Job of one claim of a TRAIN task. The pod runs the trainer-worker in
 * one-shot mode: it claims only the task named by {@code BYOV_WORKER_TASK_ID} and exits when the
 * task ends. {@code backoffLimit: 0} leaves retries to the task lease: a failed pod is never
 * restarted by Kubernetes, its task is queued again and gets a new Job.
 */
public final class KubernetesJobFactory {

  /** Label on every Job and pod the orchestrator creates. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGER = "byov-orchestrator";

  /** Label with the task id. */
  public static final String TASK_LABEL = "byov.org/task-id";

  /** Label with the fencing token the task had when the Job was created. */
  public static final String GENERATION_LABEL = "byov.org/generation";

  /** GPU resource name requested by the worker container. */
  public static final String GPU = "nvidia.com/gpu";

  private final DispatchProperties.Kubernetes settings;

  public KubernetesJobFactory(DispatchProperties.Kubernetes settings) {
    this.settings = settings;
  }

  /** Returns the Job name for a claim: the task id and its generation, unique per claim. */
  public static String jobName(UUID taskId, long generation) {
    return "byov-train-" + taskId + "-g" + generation;
  }

  /** Builds the Job for a task dispatched with the given generation (fencing token). */
  public Job build(UUID taskId, UUID runId, long generation) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGER);
    labels.put("app.kubernetes.io/name", "byov-trainer-worker");
    labels.put(TASK_LABEL, taskId.toString());
    labels.put(GENERATION_LABEL, Long.toString(generation));

    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(settings.cpu()));
    requests.put("memory", new Quantity(settings.memory()));
    limits.put("memory", new Quantity(settings.memory()));
    if (settings.gpuCount() > 0) {
      requests.put(GPU, new Quantity(Integer.toString(settings.gpuCount())));
      limits.put(GPU, new Quantity(Integer.toString(settings.gpuCount())));
    }

    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(taskId, generation))
        .withLabels(labels)
        .addToAnnotations("byov.org/run-id", runId.toString())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(settings.serviceAccount())
        .withNodeSelector(settings.nodeSelector())
        .withTolerations(tolerations())
        .addNewContainer()
        .withName("trainer-worker")
        .withImage(settings.image())
        .withEnv(environment(taskId))
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private List<EnvVar> environment(UUID taskId) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("BYOV_WORKER_TASK_ID").withValue(taskId.toString()).build());
    env.add(new EnvVarBuilder().withName("BYOV_ORCHESTRATOR_URL").withValue(settings.orchestratorUrl()).build());
    env.add(
        new EnvVarBuilder()
            .withName("BYOV_WORKER_TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(settings.workerTokenSecret())
            .withKey(settings.workerTokenKey())
            .endSecretKeyRef()
            .endValueFrom()
            .build());
    settings.env().forEach((name, value) -> env.add(new EnvVarBuilder().withName(name).withValue(value).build()));
    return env;
  }

  private List<Toleration> tolerations() {
    return settings.tolerations().stream()
        .map(
            toleration ->
                new TolerationBuilder()
                    .withKey(toleration.key())
                    .withOperator(toleration.operator())
                    .withValue(toleration.value())
                    .withEffect(toleration.effect())
                    .build())
        .toList();
  }
}
