package org.byov.orchestrator.dispatch;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.OrchestratorApplication;
import org.byov.orchestrator.support.FakeWorker;
import org.byov.orchestrator.support.Http;
import org.byov.orchestrator.support.Orchestrators;
import org.byov.orchestrator.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Kubernetes dispatch against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDispatchTest {

  static KubernetesClient kubernetes;

  @TempDir Path artifacts;

  @Test
  void gpuJobCreatedAndFailedPodRetried() {
    Orchestrators orchestrators = new Orchestrators("k8s_dispatch", artifacts);
    Map<String, Object> properties = new HashMap<>(orchestrators.baseProperties("k8s"));
    properties.put("byov.dispatch.mode", "kubernetes");
    properties.put("byov.dispatch.kubernetes.namespace", "byov");
    properties.put("byov.dispatch.kubernetes.image", "registry.example/byov/trainer-worker:1.0");
    properties.put("byov.dispatch.kubernetes.service-account", "byov-trainer");
    properties.put("byov.dispatch.kubernetes.node-selector.accelerator", "nvidia-h100");
    properties.put("byov.dispatch.kubernetes.tolerations[0].key", "nvidia.com/gpu");
    properties.put("byov.dispatch.kubernetes.tolerations[0].operator", "Exists");
    properties.put("byov.dispatch.kubernetes.tolerations[0].effect", "NoSchedule");
    // Values other than the defaults, to show that each one comes from the settings.
    properties.put("byov.dispatch.kubernetes.cpu-limit", "3");
    properties.put("byov.dispatch.kubernetes.pod-labels[app.kubernetes.io/name]", "byov-trainer-worker");
    properties.put("byov.dispatch.kubernetes.pod-labels[team]", "vision");
    properties.put("byov.dispatch.kubernetes.volume.claim-name", "shared-artifacts");
    properties.put("byov.dispatch.kubernetes.volume.mount-path", "/data");
    properties.put("byov.dispatch.kubernetes.volume.artifacts-root", "/data/artifacts");
    properties.put("byov.dispatch.kubernetes.volume.data-root", "/data/datasets");
    properties.put("byov.dispatch.kubernetes.writable-paths", "/tmp,/var/cache/byov");
    properties.put("byov.dispatch.kubernetes.security.run-as-user", "20001");
    properties.put("byov.dispatch.kubernetes.security.run-as-group", "20002");
    properties.put("byov.dispatch.kubernetes.security.fs-group", "20003");
    properties.put("byov.dispatch.kubernetes.metrics-port.name", "metrics");
    properties.put("byov.dispatch.kubernetes.metrics-port.port", "9091");
    properties.put("byov.dispatch.kubernetes.token-list-secret", "byov-scrape-tokens");
    properties.put("byov.orchestrator.lease-period", "30s");
    properties.put("byov.orchestrator.heartbeat-interval", "5s");

    try (ConfigurableApplicationContext context = start(properties)) {
      String baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      Http http = new Http(baseUrl);
      Http.Response created =
          http.post("/api/v1/runs", TestTokens.RUNS,
              "{\"modelName\":\"k8s-model\",\"dataset\":\"fashion-mnist\",\"method\":\"byov\",\"epochs\":1}");
      assertThat(created.status()).isEqualTo(201);
      UUID runId = UUID.fromString(created.json().get("id").asString());

      Job first = Poll.until(Duration.ofSeconds(60), "the first Job", () -> onlyJob(null));
      UUID taskId = UUID.fromString(first.getMetadata().getLabels().get(KubernetesJobFactory.TASK_LABEL));
      assertThat(first.getMetadata().getName()).isEqualTo("byov-train-" + taskId + "-g1");
      assertThat(first.getSpec().getBackoffLimit()).isZero();
      assertThat(first.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
      PodSpec pod = first.getSpec().getTemplate().getSpec();
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      assertThat(pod.getServiceAccountName()).isEqualTo("byov-trainer");
      assertThat(pod.getNodeSelector()).containsEntry("accelerator", "nvidia-h100");
      assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("nvidia.com/gpu");
      Container container = pod.getContainers().get(0);
      assertThat(container.getImage()).isEqualTo("registry.example/byov/trainer-worker:1.0");
      assertThat(container.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(env(container, "BYOV_WORKER_TASK_ID").getValue()).isEqualTo(taskId.toString());
      EnvVar token = env(container, "BYOV_WORKER_TOKEN");
      assertThat(token.getValue()).isNull();
      assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("byov-tokens");
      assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("worker-token");
      assertDeploymentSettings(first);

      // Only the pod, claiming by task id, gets the TRAIN task; a polling worker does not.
      FakeWorker worker = new FakeWorker(baseUrl, "pod-1");
      assertThat(worker.client().claim(new ClaimRequest(List.of(TaskKind.TRAIN), "poller", Map.of(), null)))
          .isEmpty();
      ClaimedTask claimed =
          worker.client().claim(new ClaimRequest(List.of(TaskKind.TRAIN), "pod-1", Map.of(), taskId)).orElseThrow();
      assertThat(claimed.attempt()).isEqualTo(1);
      assertThat(claimed.runId()).isEqualTo(runId);

      // The pod fails: its Job reports a failed pod, and the task is retried with a new Job.
      kubernetes.batch().v1().jobs().inNamespace("byov").withName(first.getMetadata().getName())
          .editStatus(job -> { job.setStatus(new JobStatusBuilder().withFailed(1).build()); return job; });
      Job second =
          Poll.until(Duration.ofSeconds(60), "a second Job", () -> onlyJob(first.getMetadata().getName()));
      assertThat(second.getMetadata().getLabels().get(KubernetesJobFactory.TASK_LABEL)).isEqualTo(taskId.toString());
      assertThat(jdbc.queryForObject("SELECT attempt FROM tasks WHERE id = ?", Integer.class, taskId)).isEqualTo(2);
      assertThat(jdbc.queryForObject("SELECT status FROM tasks WHERE id = ?", String.class, taskId))
          .isEqualTo("DISPATCHED");

      ClaimedTask retry =
          worker.client().claim(new ClaimRequest(List.of(TaskKind.TRAIN), "pod-2", Map.of(), taskId)).orElseThrow();
      assertThat(retry.attempt()).isEqualTo(2);
      assertThat(retry.fencingToken()).isGreaterThan(claimed.fencingToken());
    }
  }

  /** Checks what the shipped manifests give every other trainer pod, with the test's values. */
  private static void assertDeploymentSettings(Job job) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(labels).containsEntry("app.kubernetes.io/name", "byov-trainer-worker");
    assertThat(labels).containsEntry("team", "vision");
    assertThat(labels).containsEntry(KubernetesJobFactory.MANAGED_BY, KubernetesJobFactory.MANAGER);

    assertThat(pod.getVolumes())
        .anyMatch(volume -> volume.getName().equals(KubernetesJobFactory.ARTIFACTS_VOLUME)
            && volume.getPersistentVolumeClaim() != null
            && volume.getPersistentVolumeClaim().getClaimName().equals("shared-artifacts"));
    assertThat(mountPath(pod, container, "shared-artifacts")).isEqualTo("/data");
    assertThat(env(container, "BYOV_ARTIFACTS_ROOT").getValue()).isEqualTo("/data/artifacts");
    assertThat(env(container, "BYOV_DATA_ROOT").getValue()).isEqualTo("/data/datasets");
    assertThat(emptyDirMountPaths(pod, container)).containsExactlyInAnyOrder("/tmp", "/var/cache/byov");

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(20001L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(20002L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(20003L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

    assertThat(container.getPorts()).hasSize(1);
    assertThat(container.getPorts().get(0).getName()).isEqualTo("metrics");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(9091);
    assertThat(env(container, "SERVER_PORT").getValue()).isEqualTo("9091");

    EnvVar tokens = env(container, "BYOV_TOKENS");
    assertThat(tokens.getValue()).isNull();
    assertThat(tokens.getValueFrom().getSecretKeyRef().getName()).isEqualTo("byov-scrape-tokens");
    assertThat(tokens.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token-list");

    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("2"));
    assertThat(container.getResources().getRequests()).containsEntry("memory", new Quantity("8Gi"));
    assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("3"));
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("8Gi"));
    assertThat(pod.getTolerations().get(0).getOperator()).isEqualTo("Exists");
    assertThat(pod.getTolerations().get(0).getEffect()).isEqualTo("NoSchedule");
  }

  /** Returns the path where the container mounts the claim. */
  private static String mountPath(PodSpec pod, Container container, String claimName) {
    Volume volume =
        pod.getVolumes().stream()
            .filter(candidate -> candidate.getPersistentVolumeClaim() != null
                && candidate.getPersistentVolumeClaim().getClaimName().equals(claimName))
            .findFirst()
            .orElseThrow();
    return container.getVolumeMounts().stream()
        .filter(mount -> mount.getName().equals(volume.getName()))
        .map(VolumeMount::getMountPath)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> emptyDirMountPaths(PodSpec pod, Container container) {
    List<String> emptyDirs =
        pod.getVolumes().stream().filter(volume -> volume.getEmptyDir() != null).map(Volume::getName).toList();
    return container.getVolumeMounts().stream()
        .filter(mount -> emptyDirs.contains(mount.getName()))
        .map(VolumeMount::getMountPath)
        .toList();
  }

  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("k8s-test", properties));
    return new SpringApplicationBuilder(OrchestratorApplication.class)
        .environment(environment)
        .initializers(context -> context.getBeanFactory().registerSingleton("kubernetesClient", kubernetes))
        .run();
  }

  /** Returns the one Job other than {@code except}, or null while there is none. */
  private static Job onlyJob(String except) {
    List<Job> jobs =
        kubernetes.batch().v1().jobs().inNamespace("byov").list().getItems().stream()
            .filter(job -> !job.getMetadata().getName().equals(except))
            .toList();
    assertThat(jobs.size()).isLessThanOrEqualTo(1);
    return jobs.isEmpty() ? null : jobs.get(0);
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }
}
