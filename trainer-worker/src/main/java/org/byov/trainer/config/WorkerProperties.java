package org.byov.trainer.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the trainer worker, bound from {@code byov.worker.*}; application.yml maps the
 * {@code BYOV_*} environment variables onto them.
 *
 * @param orchestratorUrl base URL of the orchestrator's task endpoints
 * @param workerToken bearer token with the worker role
 * @param workerId name of this process in the task rows and logs; empty picks host name and pid
 * @param taskId one-shot mode: claim only this task and exit when it ends; null for queue mode
 * @param artifactsRoot root of the artifact store (checkpoints under {@code runs/})
 * @param dataRoot root of the datasets
 * @param device the training device: {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param threads PyTorch intra-op threads, at least 1
 * @param keepCheckpoints checkpoints of a run to keep (the newest ones), at least 1
 * @param shutdownGrace time a SIGTERM leaves to finish the step, checkpoint and release the task
 * @param pollInitial first wait after an empty claim in queue mode
 * @param pollMax longest wait between claims in queue mode
 * @param retryInitial first wait before retrying a task call that failed on the network
 * @param retryMax longest wait between retries of a task call
 */
@Validated
@ConfigurationProperties("byov.worker")
public record WorkerProperties(
    @NotBlank @DefaultValue("http://127.0.0.1:8080") String orchestratorUrl,
    @DefaultValue("") String workerToken,
    @DefaultValue("") String workerId,
    UUID taskId,
    @NotNull @DefaultValue("./var/artifacts") Path artifactsRoot,
    @NotNull Path dataRoot,
    @NotNull @DefaultValue("cpu") DeviceSetting device,
    @Min(1) @DefaultValue("2") int threads,
    @Min(1) @DefaultValue("3") int keepCheckpoints,
    @NotNull @DefaultValue("30s") Duration shutdownGrace,
    @NotNull @DefaultValue("1s") Duration pollInitial,
    @NotNull @DefaultValue("30s") Duration pollMax,
    @NotNull @DefaultValue("200ms") Duration retryInitial,
    @NotNull @DefaultValue("10s") Duration retryMax) {

  public WorkerProperties {
    if (workerId == null || workerId.isBlank()) {
      workerId = defaultWorkerId();
    }
    if (pollMax.compareTo(pollInitial) < 0) {
      throw new IllegalArgumentException(
          "byov.worker.poll-max (" + pollMax + ") must not be shorter than poll-initial ("
              + pollInitial + ")");
    }
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "byov.worker.retry-max (" + retryMax + ") must not be shorter than retry-initial ("
              + retryInitial + ")");
    }
  }

  /** Returns whether the worker runs one named task and exits (a Kubernetes Job pod). */
  public boolean oneShot() {
    return taskId != null;
  }

  private static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "trainer";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
