package org.byov.orchestrator.dispatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How TRAIN tasks reach workers, bound from {@code byov.dispatch.*}.
 *
 * @param mode {@code queue}: long-running workers poll the claim endpoint; {@code kubernetes}: the
 *     orchestrator creates one Job per claim of a TRAIN task
 * @param kubernetes settings of the Jobs in kubernetes mode
 */
@ConfigurationProperties("byov.dispatch")
public record DispatchProperties(
    @DefaultValue("queue") Mode mode, @DefaultValue Kubernetes kubernetes) {

  /** Dispatch modes. */
  public enum Mode {
    QUEUE,
    KUBERNETES
  }

  /**
   * Job settings for kubernetes mode.
   *
   * @param namespace namespace of the Jobs; empty uses the client's namespace
   * @param image trainer-worker image
   * @param serviceAccount service account of the pods
   * @param gpuCount {@code nvidia.com/gpu} request and limit; 0 requests no GPU
   * @param cpu CPU request
   * @param cpuLimit CPU limit; empty sets none, so the data loader may use idle cores
   * @param memory memory request and limit
   * @param nodeSelector node labels the pod must match
   * @param tolerations tolerations of the pod
   * @param podLabels labels of the Job and its pod besides the orchestrator's own; the
   *     NetworkPolicy and PodMonitor of the trainers select pods by them
   * @param volume the shared artifacts volume and the directories the trainer uses on it
   * @param writablePaths directories that get an emptyDir, because the root filesystem is
   *     read-only
   * @param security user, group and file-system group of the pod
   * @param metricsPort the container port that serves Actuator and {@code /actuator/prometheus}
   * @param workerTokenSecret Secret holding the worker token
   * @param workerTokenKey key of the token in that Secret
   * @param tokenListSecret Secret holding the tokens the trainer accepts ({@code BYOV_TOKENS})
   * @param tokenListKey key of that token list in its Secret
   * @param orchestratorUrl URL the pod uses to reach the orchestrator
   * @param ttlSecondsAfterFinished seconds a finished Job is kept
   * @param terminationGracePeriodSeconds seconds an evicted pod has to release its task
   * @param dispatchTimeout time a pod has to claim its task before the task is queued again
   * @param maxDispatchPerPass Jobs created at most per maintenance pass
   * @param env extra environment variables of the worker container
   */
  public record Kubernetes(
      @DefaultValue("") String namespace,
      @DefaultValue("byov/trainer-worker:latest") String image,
      @DefaultValue("byov-worker") String serviceAccount,
      @DefaultValue("1") int gpuCount,
      @DefaultValue("2") String cpu,
      @DefaultValue("") String cpuLimit,
      @DefaultValue("8Gi") String memory,
      @DefaultValue Map<String, String> nodeSelector,
      @DefaultValue List<Toleration> tolerations,
      @DefaultValue Map<String, String> podLabels,
      @DefaultValue Volume volume,
      @DefaultValue("/tmp") List<String> writablePaths,
      @DefaultValue PodSecurity security,
      @DefaultValue MetricsPort metricsPort,
      @DefaultValue("byov-tokens") String workerTokenSecret,
      @DefaultValue("worker-token") String workerTokenKey,
      @DefaultValue("byov-tokens") String tokenListSecret,
      @DefaultValue("token-list") String tokenListKey,
      @DefaultValue("http://byov-orchestrator:8080") String orchestratorUrl,
      @DefaultValue("3600") int ttlSecondsAfterFinished,
      @DefaultValue("60") int terminationGracePeriodSeconds,
      @DefaultValue("10m") Duration dispatchTimeout,
      @DefaultValue("4") int maxDispatchPerPass,
      @DefaultValue Map<String, String> env) {

    /** Pod labels when {@code pod-labels} is not set: the ones the trainers' policies select. */
    public static final Map<String, String> DEFAULT_POD_LABELS =
        Map.of("app.kubernetes.io/name", "byov-trainer-worker", "app.kubernetes.io/component", "worker");

    public Kubernetes {
      if (gpuCount < 0) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.gpu-count must be 0 or more, got " + gpuCount);
      }
      podLabels = podLabels.isEmpty() ? DEFAULT_POD_LABELS : Map.copyOf(podLabels);
      for (String reserved : KubernetesJobFactory.RESERVED_LABELS) {
        if (podLabels.containsKey(reserved)) {
          throw new IllegalArgumentException(
              "byov.dispatch.kubernetes.pod-labels must not set " + reserved
                  + ": the orchestrator sets it on every Job it creates");
        }
      }
      for (String path : writablePaths) {
        requireAbsolute("writable-paths", path);
        if (path.equals(volume.mountPath())) {
          throw new IllegalArgumentException(
              "byov.dispatch.kubernetes.writable-paths contains " + path
                  + ", the mount path of the artifacts volume; remove it from writable-paths");
        }
      }
      for (String name : env.keySet()) {
        if (KubernetesJobFactory.FACTORY_VARIABLES.contains(name)) {
          throw new IllegalArgumentException(
              "byov.dispatch.kubernetes.env must not set " + name + ", because the orchestrator"
                  + " sets it from " + KubernetesJobFactory.sourceOf(name) + "; set that instead");
        }
      }
      if (terminationGracePeriodSeconds < 0) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.termination-grace-period-seconds must be 0 or more, got "
                + terminationGracePeriodSeconds);
      }
      writablePaths = List.copyOf(writablePaths);
      env = new LinkedHashMap<>(env);
    }
  }

  /**
   * The ReadWriteMany claim that the orchestrator, trainers, eval-service and inference-api share,
   * and where the trainer finds its artifact store and datasets on it.
   *
   * @param claimName name of the PersistentVolumeClaim
   * @param mountPath where the claim is mounted in the trainer container
   * @param artifactsRoot {@code BYOV_ARTIFACTS_ROOT} of the trainer; must lie under the mount
   *     path, so that the other services read what the trainer writes
   * @param dataRoot {@code BYOV_DATA_ROOT} of the trainer
   */
  public record Volume(
      @DefaultValue("byov-artifacts") String claimName,
      @DefaultValue("/var/lib/byov") String mountPath,
      @DefaultValue("/var/lib/byov/artifacts") String artifactsRoot,
      @DefaultValue("/var/lib/byov/datasets") String dataRoot) {

    public Volume {
      if (claimName.isBlank()) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.volume.claim-name is empty; name the artifacts claim");
      }
      requireAbsolute("volume.mount-path", mountPath);
      requireAbsolute("volume.artifacts-root", artifactsRoot);
      requireAbsolute("volume.data-root", dataRoot);
      if (!artifactsRoot.equals(mountPath) && !artifactsRoot.startsWith(mountPath + "/")) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.volume.artifacts-root " + artifactsRoot
                + " is not under volume.mount-path " + mountPath
                + ", so the trainer would write its checkpoints into the container");
      }
    }
  }

  /**
   * The non-root identity of the trainer pod. The image's user is 10001.
   *
   * @param runAsUser user id of the container process
   * @param runAsGroup primary group id of the container process
   * @param fsGroup group that owns the mounted volumes
   */
  public record PodSecurity(
      @DefaultValue("10001") long runAsUser,
      @DefaultValue("10001") long runAsGroup,
      @DefaultValue("10001") long fsGroup) {

    public PodSecurity {
      if (runAsUser <= 0 || runAsGroup <= 0 || fsGroup <= 0) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.security.run-as-user, run-as-group and fs-group must be"
                + " non-root ids above 0, got " + runAsUser + ", " + runAsGroup + ", " + fsGroup);
      }
    }
  }

  /**
   * The named container port that the trainers' PodMonitor scrapes; the trainer listens on it
   * ({@code SERVER_PORT}).
   *
   * @param name port name, which the PodMonitor refers to
   * @param port port number
   */
  public record MetricsPort(@DefaultValue("http") String name, @DefaultValue("8081") int port) {

    public MetricsPort {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.metrics-port.port must be between 1 and 65535, got " + port);
      }
      if (!name.matches("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "byov.dispatch.kubernetes.metrics-port.name " + name + " is not a valid port name:"
                + " at most 15 lower-case letters, digits and inner dashes");
      }
    }
  }

  /** A pod toleration. */
  public record Toleration(String key, String operator, String value, String effect) {}

  private static void requireAbsolute(String property, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "byov.dispatch.kubernetes." + property + " must be an absolute path, got " + path);
    }
  }
}
