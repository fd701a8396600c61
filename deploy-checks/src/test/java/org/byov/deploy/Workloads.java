package org.byov.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads pod templates and containers out of workload manifests kept as plain maps. */
final class Workloads {

  private Workloads() {}

  /** Returns the pod spec of a Deployment, StatefulSet, Job or Pod; empty for other kinds. */
  static Map<String, Object> podSpec(Map<String, Object> manifest) {
    String kind = String.valueOf(manifest.get("kind"));
    return switch (kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "Job" ->
          Yaml.map(Yaml.at(manifest, "spec", "template", "spec"));
      case "CronJob" -> Yaml.map(Yaml.at(manifest, "spec", "jobTemplate", "spec", "template", "spec"));
      case "Pod" -> Yaml.map(manifest.get("spec"));
      default -> Map.of();
    };
  }

  /** Returns the init containers and containers of a workload. */
  static List<Map<String, Object>> containers(Map<String, Object> manifest) {
    Map<String, Object> spec = podSpec(manifest);
    List<Map<String, Object>> containers = new ArrayList<>();
    Yaml.list(spec.get("initContainers")).forEach(container -> containers.add(Yaml.map(container)));
    Yaml.list(spec.get("containers")).forEach(container -> containers.add(Yaml.map(container)));
    return containers;
  }
}
