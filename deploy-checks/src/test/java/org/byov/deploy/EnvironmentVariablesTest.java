package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every environment variable that docker-compose.yml, the Dockerfiles and the Kubernetes
 * manifests give a BYOV service is one that service reads: by name in its configuration or code,
 * or through Spring Boot's relaxed binding of a property it has. A misspelt or stale variable
 * would otherwise be ignored without a word.
 */
class EnvironmentVariablesTest {

  /** Variables that the JVM, glibc or DJL read, not Spring: they are always allowed. */
  private static final Map<String, String> RUNTIME_VARIABLES =
      Map.of(
          "JAVA_TOOL_OPTIONS", "read by the JVM",
          "MALLOC_ARENA_MAX", "read by glibc malloc",
          "DJL_CACHE_DIR", "read by DJL",
          "ENGINE_CACHE_DIR", "read by DJL",
          "PYTORCH_FLAVOR", "read by DJL's PyTorch engine",
          "PYTORCH_VERSION", "read by DJL's PyTorch engine");

  private static final Map<ServiceModule, ServiceSettings> SETTINGS = new EnumMap<>(ServiceModule.class);

  private static ServiceSettings settings(ServiceModule module) {
    return SETTINGS.computeIfAbsent(module, ServiceSettings::of);
  }

  /** A variable that a deployment file sets for a service, and where. */
  record Setting(ServiceModule module, String variable, String value, String origin) {}

  /** Returns every variable the deployment files set for BYOV services. */
  static List<Setting> settingsOfDeployment() {
    List<Setting> found = new ArrayList<>();
    ComposeTest.services().forEach((service, definition) -> {
      if (ComposeTest.SERVICE_PORTS.containsKey(service)) {
        Yaml.map(Yaml.map(definition).get("environment")).forEach((name, value) ->
            found.add(new Setting(ServiceModule.ofDirectory(service), name, String.valueOf(value),
                "docker-compose.yml service " + service)));
      }
    });

    KubernetesManifestsTest.manifests().forEach(manifest -> {
      for (Map<String, Object> container : Workloads.containers(manifest.content())) {
        String image = String.valueOf(container.get("image"));
        if (!image.startsWith("byov/")) {
          continue;
        }
        ServiceModule module = ServiceModule.ofImage(image);
        String origin = manifest + " container " + container.get("name");
        for (Object entry : Yaml.list(container.get("env"))) {
          Map<String, Object> variable = Yaml.map(entry);
          found.add(new Setting(module, String.valueOf(variable.get("name")),
              String.valueOf(variable.get("value")), origin));
        }
        for (Object entry : Yaml.list(container.get("envFrom"))) {
          String configMap = String.valueOf(Yaml.at(entry, "configMapRef", "name"));
          configMapData(configMap).forEach((name, value) ->
              found.add(new Setting(module, name, String.valueOf(value), origin + " (" + configMap + ")")));
        }
      }
    });

    // Spring keeps a map key as written only in brackets: "[BYOV_DEVICE]".
    Yaml.map(Yaml.at(dispatchConfig(), "byov", "dispatch", "kubernetes", "env")).forEach((name, value) ->
        found.add(new Setting(ServiceModule.TRAINER_WORKER, name.replaceAll("^\\[|]$", ""),
            String.valueOf(value), "overlays/gpu/dispatch.yml (trainer Job pods)")));
    return found;
  }

  static Map<String, Object> dispatchConfig() {
    return Yaml.document(Repository.path("deploy/kubernetes/overlays/gpu/dispatch.yml"));
  }

  private static Map<String, Object> configMapData(String name) {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.key().equals("ConfigMap/" + name))
        .findFirst()
        .map(manifest -> Yaml.map(manifest.content().get("data")))
        .orElseThrow(() -> new AssertionError("ConfigMap " + name + " not found"));
  }

  @Test
  void deploymentSetsVariablesForEveryService() {
    assertThat(settingsOfDeployment().stream().map(Setting::module))
        .contains(ServiceModule.values());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void everyVariableIsReadByItsService(ServiceModule module) {
    ServiceSettings service = settings(module);
    Assumptions.assumeTrue(service.configured,
        module + " has no configuration file in this build yet, so what it reads is unknown");

    List<String> unread =
        settingsOfDeployment().stream()
            .filter(setting -> setting.module() == module)
            .filter(setting -> !RUNTIME_VARIABLES.containsKey(setting.variable()))
            .filter(setting -> !service.readsVariable(setting.variable()))
            .map(setting -> setting.variable() + " (" + setting.origin() + ")")
            .distinct()
            .toList();

    assertThat(unread).as("variables that %s does not read", module).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void activeProfilesExist(ServiceModule module) {
    ServiceSettings service = settings(module);
    Assumptions.assumeTrue(service.configured, module + " has no configuration file in this build yet");

    settingsOfDeployment().stream()
        .filter(setting -> setting.module() == module)
        .filter(setting -> setting.variable().equals("SPRING_PROFILES_ACTIVE"))
        .flatMap(setting -> Stream.of(setting.value().split(",")).map(profile -> profile.strip() + " (" + setting.origin() + ")"))
        .forEach(profile ->
            assertThat(service.profiles)
                .as("profiles of %s: application-{profile}.yml or @Profile; %s", module, profile)
                .contains(profile.substring(0, profile.indexOf(' '))));
  }

  @Test
  void dispatchConfigBindsToTheOrchestrator() {
    ServiceSettings orchestrator = settings(ServiceModule.ORCHESTRATOR);
    Assumptions.assumeTrue(orchestrator.configured, "orchestrator has no configuration file in this build yet");

    List<String> unbound =
        ServiceSettings.flattenedKeys(dispatchConfig(), "").stream()
            .filter(key -> !orchestrator.bindsProperty(key))
            .toList();

    assertThat(unbound).as("keys of overlays/gpu/dispatch.yml the orchestrator has no property for").isEmpty();
  }

  /**
   * An empty byov.inference.registry.models turns the registry off, so an inference-api deployed
   * without it would serve no model and never become ready.
   */
  @Test
  void inferenceApiServesEveryProductionModel() {
    List<String> origins =
        settingsOfDeployment().stream()
            .filter(setting -> setting.module() == ServiceModule.INFERENCE_API)
            .filter(setting -> setting.variable().equals("BYOV_INFERENCE_REGISTRY_MODELS"))
            .filter(setting -> setting.value().equals("*"))
            .map(Setting::origin)
            .toList();

    assertThat(origins).as("where BYOV_INFERENCE_REGISTRY_MODELS is *")
        .anyMatch(origin -> origin.startsWith("docker-compose.yml"))
        .anyMatch(origin -> origin.contains("deploy/kubernetes/base/inference-api.yaml"));
  }

  @Test
  void relaxedBindingFollowsSpring() {
    // Spring Boot maps underscores to dots and drops dashes, so GPU_COUNT would miss gpu-count.
    assertThat(ServiceSettings.canonicalOfVariable("BYOV_DISPATCH_KUBERNETES_GPUCOUNT"))
        .isEqualTo(ServiceSettings.canonical("byov.dispatch.kubernetes.gpu-count"));
    assertThat(ServiceSettings.canonicalOfVariable("BYOV_DISPATCH_KUBERNETES_GPU_COUNT"))
        .isNotEqualTo(ServiceSettings.canonical("byov.dispatch.kubernetes.gpu-count"));
    assertThat(ServiceSettings.canonicalOfVariable("BYOV_DISPATCH_KUBERNETES_TOLERATIONS_0_KEY"))
        .isEqualTo("byov.dispatch.kubernetes.tolerations[*].key");
  }

  @Test
  void springBootPropertiesAreKnown() {
    // Read from Spring Boot's own configuration metadata on the class path.
    ServiceSettings orchestrator = settings(ServiceModule.ORCHESTRATOR);

    assertThat(orchestrator.readsVariable("SERVER_PORT")).isTrue();
    assertThat(orchestrator.readsVariable("SPRING_FLYWAY_ENABLED")).isTrue();
    assertThat(orchestrator.readsVariable("SPRING_MAIN_WEBAPPLICATIONTYPE")).isTrue();
    assertThat(orchestrator.readsVariable("SPRING_FLYWAY_ENABLE")).isFalse();
  }

  static Set<String> runtimeVariables() {
    return RUNTIME_VARIABLES.keySet();
  }
}
