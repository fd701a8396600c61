package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every workload of deploy/kubernetes, and the trainer Job that the orchestrator builds
 * from the GPU overlay's settings. Each runs as a non-root user with the runtime's default seccomp
 * profile, on a read-only root filesystem and without privilege escalation. Each has a writable
 * /tmp and sets resource requests and limits. The BYOV services also probe Actuator's liveness
 * and readiness groups.
 */
class WorkloadPolicyTest {

  static Stream<Manifest> workloads() {
    Stream<Manifest> files =
        KubernetesManifestsTest.manifests()
            .filter(manifest -> !Workloads.podSpec(manifest.content()).isEmpty())
            // A patch carries only what it changes; the object it patches is checked in full.
            .filter(manifest -> Yaml.at(manifest.content(), "spec", "selector") != null
                || manifest.kind().equals("Job"));
    return Stream.concat(files, Stream.of(GpuOverlayJob.manifest()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void podRunsAsNonRoot(Manifest workload) {
    Map<String, Object> pod = Workloads.podSpec(workload.content());

    assertThat(Yaml.at(pod, "securityContext", "runAsNonRoot")).as("runAsNonRoot of %s", workload).isEqualTo(true);
    assertThat(Yaml.at(pod, "securityContext", "runAsUser")).as("runAsUser of %s", workload).isNotEqualTo(0);
    assertThat(Yaml.at(pod, "securityContext", "seccompProfile", "type"))
        .as("seccomp profile of %s", workload).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void containersAreRestricted(Manifest workload) {
    for (Map<String, Object> container : Workloads.containers(workload.content())) {
      String name = workload + " container " + container.get("name");
      assertThat(Yaml.at(container, "securityContext", "readOnlyRootFilesystem"))
          .as("readOnlyRootFilesystem of %s", name).isEqualTo(true);
      assertThat(Yaml.at(container, "securityContext", "allowPrivilegeEscalation"))
          .as("allowPrivilegeEscalation of %s", name).isEqualTo(false);
      assertThat(Yaml.list(Yaml.at(container, "securityContext", "capabilities", "drop")))
          .as("dropped capabilities of %s", name).contains("ALL");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void containersHaveWritableTmp(Manifest workload) {
    Map<String, Object> pod = Workloads.podSpec(workload.content());
    List<String> emptyDirs =
        Yaml.list(pod.get("volumes")).stream()
            .map(Yaml::map)
            .filter(volume -> volume.containsKey("emptyDir"))
            .map(volume -> String.valueOf(volume.get("name")))
            .toList();

    for (Map<String, Object> container : Workloads.containers(workload.content())) {
      assertThat(Yaml.list(container.get("volumeMounts")).stream().map(Yaml::map))
          .as("/tmp of %s container %s must be an emptyDir mount", workload, container.get("name"))
          .anyMatch(mount -> "/tmp".equals(mount.get("mountPath"))
              && emptyDirs.contains(String.valueOf(mount.get("name"))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void containersSetRequestsAndLimits(Manifest workload) {
    for (Map<String, Object> container : Workloads.containers(workload.content())) {
      String name = workload + " container " + container.get("name");
      assertThat(Yaml.at(container, "resources", "requests", "cpu")).as("CPU request of %s", name).isNotNull();
      assertThat(Yaml.at(container, "resources", "requests", "memory")).as("memory request of %s", name).isNotNull();
      assertThat(Yaml.at(container, "resources", "limits", "memory")).as("memory limit of %s", name).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void servicesProbeActuatorGroups(Manifest workload) {
    if (workload.kind().equals("Job") || !workload.name().startsWith("byov-")
        || workload.name().equals("byov-postgres")) {
      return;
    }
    for (Map<String, Object> container : Workloads.containers(workload.content())) {
      String name = workload + " container " + container.get("name");
      assertThat(Yaml.at(container, "livenessProbe", "httpGet", "path"))
          .as("liveness probe of %s", name).isEqualTo("/actuator/health/liveness");
      assertThat(Yaml.at(container, "readinessProbe", "httpGet", "path"))
          .as("readiness probe of %s", name).isEqualTo("/actuator/health/readiness");
    }
  }
}
