package org.byov.orchestrator.dispatch;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
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
      var pod = first.getSpec().getTemplate().getSpec();
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
