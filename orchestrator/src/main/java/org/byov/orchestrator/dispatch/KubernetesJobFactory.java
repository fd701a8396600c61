package org.byov.orchestrator.dispatch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@code batch/v1} Job of one claim of a TRAIN task. The pod runs the trainer-worker in
 * one-shot mode: it claims only the task named by {@code BYOV_WORKER_TASK_ID} and exits when the
 * task ends. {@code backoffLimit: 0} leaves retries to the task lease: a failed pod is never
 * restarted by Kubernetes, its task is queued again and gets a new Job.
 *
 * <p>The pod gets what the shipped manifests give every other trainer: the shared artifacts
 * claim, an emptyDir for each writable path, a non-root read-only security context, the named
 * metrics port, the labels that the trainers' NetworkPolicy and PodMonitor select, and the tokens
 * from their Secret.
 */
public final class KubernetesJobFactory {

  /** Label on every Job and pod the orchestrator creates. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGER = "byov-orchestrator";

  /** Label with the task id. */
  public static final String TASK_LABEL = "byov.org/task-id";

  /** Label with the fencing token the task had when the Job was created. */
  public static final String GENERATION_LABEL = "byov.org/generation";

  /** Labels that the orchestrator sets itself, which {@code pod-labels} may not change. */
  public static final Set<String> RESERVED_LABELS = Set.of(MANAGED_BY, TASK_LABEL, GENERATION_LABEL);

  /** GPU resource name requested by the worker container. */
  public static final String GPU = "nvidia.com/gpu";

  /** Name of the trainer container. */
  public static final String CONTAINER = "trainer-worker";

  /** Volume name of the artifacts claim in the pod. */
  public static final String ARTIFACTS_VOLUME = "shared";

  /** Environment variables the factory sets, with the setting each comes from. */
  private static final Map<String, String> FACTORY_VARIABLE_SOURCES =
      Map.of(
          "BYOV_WORKER_TASK_ID", "the task being dispatched",
          "BYOV_ORCHESTRATOR_URL", "byov.dispatch.kubernetes.orchestrator-url",
          "BYOV_WORKER_TOKEN", "byov.dispatch.kubernetes.worker-token-secret and -key",
          "BYOV_TOKENS", "byov.dispatch.kubernetes.token-list-secret and -key",
          "BYOV_ARTIFACTS_ROOT", "byov.dispatch.kubernetes.volume.artifacts-root",
          "BYOV_DATA_ROOT", "byov.dispatch.kubernetes.volume.data-root",
          "SERVER_PORT", "byov.dispatch.kubernetes.metrics-port.port");

  /** Names of the environment variables the factory sets; {@code env} may not repeat them. */
  public static final Set<String> FACTORY_VARIABLES = FACTORY_VARIABLE_SOURCES.keySet();

  private final DispatchProperties.Kubernetes settings;

  public KubernetesJobFactory(DispatchProperties.Kubernetes settings) {
    this.settings = settings;
  }

  /** Returns the Job name for a claim: the task id and its generation, unique per claim. */
  public static String jobName(UUID taskId, long generation) {
    return "byov-train-" + taskId + "-g" + generation;
  }

  /** Returns the setting that an environment variable of the factory comes from. */
  static String sourceOf(String variable) {
    return FACTORY_VARIABLE_SOURCES.get(variable);
  }

  /** Builds the Job for a task dispatched with the given generation (fencing token). */
  public Job build(UUID taskId, UUID runId, long generation) {
    Map<String, String> labels = new LinkedHashMap<>(settings.podLabels());
    labels.put(MANAGED_BY, MANAGER);
    labels.put(TASK_LABEL, taskId.toString());
    labels.put(GENERATION_LABEL, Long.toString(generation));

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
        // Workers call only the orchestrator over HTTP, never the Kubernetes API.
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds((long) settings.terminationGracePeriodSeconds())
        .withSecurityContext(podSecurityContext())
        .withNodeSelector(settings.nodeSelector())
        .withTolerations(tolerations())
        .withContainers(container(taskId))
        .withVolumes(volumes())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(UUID taskId) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(settings.image())
        .addNewPort()
        .withName(settings.metricsPort().name())
        .withContainerPort(settings.metricsPort().port())
        .withProtocol("TCP")
        .endPort()
        .withEnv(environment(taskId))
        .withNewResources()
        .withRequests(requests())
        .withLimits(limits())
        .endResources()
        .withSecurityContext(containerSecurityContext())
        .withVolumeMounts(volumeMounts())
        .build();
  }

  private Map<String, Quantity> requests() {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(settings.cpu()));
    requests.put("memory", new Quantity(settings.memory()));
    if (settings.gpuCount() > 0) {
      requests.put(GPU, new Quantity(Integer.toString(settings.gpuCount())));
    }
    return requests;
  }

  private Map<String, Quantity> limits() {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (!settings.cpuLimit().isBlank()) {
      limits.put("cpu", new Quantity(settings.cpuLimit()));
    }
    limits.put("memory", new Quantity(settings.memory()));
    if (settings.gpuCount() > 0) {
      limits.put(GPU, new Quantity(Integer.toString(settings.gpuCount())));
    }
    return limits;
  }

  private PodSecurityContext podSecurityContext() {
    DispatchProperties.PodSecurity security = settings.security();
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(security.runAsUser())
        .withRunAsGroup(security.runAsGroup())
        .withFsGroup(security.fsGroup())
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private List<Volume> volumes() {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(ARTIFACTS_VOLUME)
            .withNewPersistentVolumeClaim()
            .withClaimName(settings.volume().claimName())
            .endPersistentVolumeClaim()
            .build());
    for (int i = 0; i < settings.writablePaths().size(); i++) {
      volumes.add(new VolumeBuilder().withName(writableVolumeName(i)).withNewEmptyDir().endEmptyDir().build());
    }
    return volumes;
  }

  private List<VolumeMount> volumeMounts() {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName(ARTIFACTS_VOLUME)
            .withMountPath(settings.volume().mountPath())
            .build());
    List<String> paths = settings.writablePaths();
    for (int i = 0; i < paths.size(); i++) {
      mounts.add(new VolumeMountBuilder().withName(writableVolumeName(i)).withMountPath(paths.get(i)).build());
    }
    return mounts;
  }

  /** Returns "tmp" for the first writable path, as in the shipped manifests, then "writable-1"… */
  private static String writableVolumeName(int index) {
    return index == 0 ? "tmp" : "writable-" + index;
  }

  private List<EnvVar> environment(UUID taskId) {
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("BYOV_WORKER_TASK_ID", taskId.toString()));
    env.add(plain("BYOV_ORCHESTRATOR_URL", settings.orchestratorUrl()));
    env.add(fromSecret("BYOV_WORKER_TOKEN", settings.workerTokenSecret(), settings.workerTokenKey()));
    // The tokens the trainer accepts on its Actuator port; the PodMonitor's token must be one.
    env.add(fromSecret("BYOV_TOKENS", settings.tokenListSecret(), settings.tokenListKey()));
    env.add(plain("BYOV_ARTIFACTS_ROOT", settings.volume().artifactsRoot()));
    env.add(plain("BYOV_DATA_ROOT", settings.volume().dataRoot()));
    env.add(plain("SERVER_PORT", Integer.toString(settings.metricsPort().port())));
    settings.env().forEach((name, value) -> env.add(plain(name, value)));
    return env;
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
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
