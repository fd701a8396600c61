package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kubernetes migration Job applies each service's Flyway migrations with the settings the
 * service itself uses at start-up (spring.flyway.* of its configuration file), from the scripts
 * of the service's own image.
 */
class MigrationJobTest {

  private static Map<String, Object> job() {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.key().equals("Job/byov-migrate"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("Job byov-migrate not found"))
        .content();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void jobMigratesLikeTheService(ServiceModule module) {
    Map<String, Object> flyway = flywaySettings(module);
    Assumptions.assumeTrue(!flyway.isEmpty(), module + " has no spring.flyway settings, so nothing to migrate");
    String schema = String.valueOf(flyway.get("schemas"));
    String location = String.valueOf(flyway.get("locations"));
    assertThat(location).as("spring.flyway.locations of %s", module).startsWith("classpath:db/migration/");
    String directory = location.substring("classpath:".length());

    Map<String, Object> copy = container("byov/" + module.directory);
    assertThat(Yaml.list(copy.get("command")))
        .as("command of the init container that copies %s's scripts", module)
        .containsExactly("cp", "-R", "/app/BOOT-INF/classes/" + directory, "/migrations/");
    assertThat(Repository.files(ServiceSettings.outputOf(module).resolve(directory), ".sql"))
        .as("migrations of %s in its build output", module)
        .isNotEmpty();

    Map<String, String> env = flywayEnvironment(schema);
    assertThat(env.get("FLYWAY_DEFAULT_SCHEMA")).isEqualTo(String.valueOf(flyway.getOrDefault("default-schema", schema)));
    assertThat(env.get("FLYWAY_CREATE_SCHEMAS")).isEqualTo(String.valueOf(flyway.getOrDefault("create-schemas", true)));
    assertThat(env.get("FLYWAY_LOCATIONS")).isEqualTo("filesystem:/migrations/" + Path.of(directory).getFileName());
  }

  private static Map<String, Object> flywaySettings(ServiceModule module) {
    String yaml = ServiceSettings.applicationYamlFiles(module).get(module.configName + ".yml");
    if (yaml == null) {
      return Map.of();
    }
    return Yaml.map(Yaml.at(Yaml.documents(yaml, module.directory).get(0), "spring", "flyway"));
  }

  private static Map<String, Object> container(String image) {
    return Workloads.containers(job()).stream()
        .filter(container -> String.valueOf(container.get("image")).equals(image))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No container with image " + image + " in Job byov-migrate"));
  }

  /** Returns the plain-value environment of the Flyway container for a schema. */
  private static Map<String, String> flywayEnvironment(String schema) {
    List<Map<String, Object>> flywayContainers =
        Workloads.containers(job()).stream()
            .filter(container -> String.valueOf(container.get("image")).startsWith("flyway/flyway:"))
            .toList();
    for (Map<String, Object> container : flywayContainers) {
      Map<String, String> env = new LinkedHashMap<>();
      for (Object entry : Yaml.list(container.get("env"))) {
        Map<String, Object> variable = Yaml.map(entry);
        if (variable.containsKey("value")) {
          env.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
        }
      }
      if (schema.equals(env.get("FLYWAY_SCHEMAS"))) {
        return env;
      }
    }
    throw new AssertionError("No Flyway container with FLYWAY_SCHEMAS=" + schema + " in Job byov-migrate");
  }
}
