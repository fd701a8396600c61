package org.byov.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding of {@code byov.dispatch.*}: the defaults, and settings that are rejected at start-up. */
class DispatchPropertiesTest {

  private static DispatchProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("byov.dispatch", DispatchProperties.class);
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  @Test
  void defaultsMatchShippedManifests() {
    // The values of deploy/kubernetes: claim byov-artifacts mounted at /var/lib/byov, user 10001,
    // port http 8081, and the labels the trainers' NetworkPolicy and PodMonitor select.
    DispatchProperties.Kubernetes settings = bind(Map.of()).kubernetes();
    Job job = new KubernetesJobFactory(settings).build(UUID.randomUUID(), UUID.randomUUID(), 1);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "byov-trainer-worker")
        .containsEntry("app.kubernetes.io/component", "worker");
    assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("byov-artifacts");
    assertThat(container.getVolumeMounts().get(0).getMountPath()).isEqualTo("/var/lib/byov");
    assertThat(container.getVolumeMounts().get(1).getMountPath()).isEqualTo("/tmp");
    assertThat(pod.getVolumes().get(1).getEmptyDir()).isNotNull();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
    assertThat(container.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8081);
    assertThat(container.getResources().getLimits()).doesNotContainKey("cpu");
    assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
  }

  @Test
  void zeroGpusRequestsNoGpu() {
    Job job = new KubernetesJobFactory(bind(Map.of("byov.dispatch.kubernetes.gpu-count", "0")).kubernetes())
        .build(UUID.randomUUID(), UUID.randomUUID(), 1);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(container.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
    assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void envRepeatingFactoryVariableRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.env[BYOV_ARTIFACTS_ROOT]", "/elsewhere")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage())
            .contains("BYOV_ARTIFACTS_ROOT")
            .contains("byov.dispatch.kubernetes.volume.artifacts-root"));
  }

  @Test
  void artifactsRootOutsideVolumeRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.volume.artifacts-root", "/opt/artifacts")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage())
            .contains("/opt/artifacts")
            .contains("not under volume.mount-path /var/lib/byov"));
  }

  @Test
  void reservedPodLabelRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.pod-labels[byov.org/task-id]", "x")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage()).contains("byov.org/task-id"));
  }

  @Test
  void rootUserRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.security.run-as-user", "0")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage()).contains("run-as-user"));
  }

  @Test
  void relativeWritablePathRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.writable-paths", "tmp")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage())
            .contains("writable-paths must be an absolute path, got tmp"));
  }

  @Test
  void invalidPortNameRejected() {
    assertThatThrownBy(() -> bind(Map.of("byov.dispatch.kubernetes.metrics-port.name", "Metrics_Port")))
        .isInstanceOf(BindException.class)
        .satisfies(error -> assertThat(rootCause(error).getMessage()).contains("Metrics_Port"));
  }
}
