package org.byov.orchestrator.dispatch;

import java.time.Duration;
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
   * @param memory memory request and limit
   * @param nodeSelector node labels the pod must match
   * @param tolerations tolerations of the pod
   * @param workerTokenSecret Secret holding the worker token
   * @param workerTokenKey key of the token in that Secret
   * @param orchestratorUrl URL the pod uses to reach the orchestrator
   * @param ttlSecondsAfterFinished seconds a finished Job is kept
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
      @DefaultValue("8Gi") String memory,
      @DefaultValue Map<String, String> nodeSelector,
      @DefaultValue List<Toleration> tolerations,
      @DefaultValue("byov-tokens") String workerTokenSecret,
      @DefaultValue("worker-token") String workerTokenKey,
      @DefaultValue("http://byov-orchestrator:8080") String orchestratorUrl,
      @DefaultValue("3600") int ttlSecondsAfterFinished,
      @DefaultValue("10m") Duration dispatchTimeout,
      @DefaultValue("4") int maxDispatchPerPass,
      @DefaultValue Map<String, String> env) {}

  /** A pod toleration. */
  public record Toleration(String key, String operator, String value, String effect) {}
}
