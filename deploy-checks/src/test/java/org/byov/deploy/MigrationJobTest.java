package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kubernetes migration Job runs each service that owns a schema (a service with
 * spring.flyway settings) from its own image in migrate-only mode, with the database settings of
 * its Deployment, and the Deployments leave the migrations to the Job.
 */
class MigrationJobTest {

  /** The profile of the services' migrate-only mode: application-migrate.yml. */
  private static final String PROFILE = "migrate";

  private static Map<String, Object> job() {
    return object("Job/byov-migrate");
  }

  private static Map<String, Object> object(String key) {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not found under deploy/kubernetes"))
        .content();
  }

  private static boolean ownsSchema(ServiceModule module) {
    return !Yaml.map(Yaml.at(configuration(module, module.configName + ".yml"), "spring", "flyway")).isEmpty();
  }

  private static Map<String, Object> configuration(ServiceModule module, String fileName) {
    String yaml = ServiceSettings.applicationYamlFiles(module).get(fileName);
    return yaml == null ? Map.of() : Yaml.documents(yaml, module + "/" + fileName).get(0);
  }

  private static Map<String, Object> container(String image) {
    return Workloads.containers(job()).stream()
        .filter(container -> String.valueOf(container.get("image")).equals(image))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No container with image " + image + " in Job byov-migrate"));
  }

  /** Returns each variable of a container as its plain value or "secret:name/key". */
  private static Map<String, String> environment(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object entry : Yaml.list(container.get("env"))) {
      Map<String, Object> variable = Yaml.map(entry);
      Object secret = Yaml.at(variable, "valueFrom", "secretKeyRef");
      String value = secret == null
          ? String.valueOf(variable.get("value"))
          : "secret:" + Yaml.at(secret, "name") + "/" + Yaml.at(secret, "key");
      env.put(String.valueOf(variable.get("name")), value);
    }
    return env;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void jobRunsServiceInMigrateMode(ServiceModule module) {
    Assumptions.assumeTrue(ownsSchema(module), module + " has no spring.flyway settings, so nothing to migrate");
    Map<String, String> env = environment(container("byov/" + module.directory));

    assertThat(env.get("SPRING_PROFILES_ACTIVE")).as("SPRING_PROFILES_ACTIVE of %s in Job byov-migrate", module).isEqualTo(PROFILE);
    assertThat(env).as("variables of %s in Job byov-migrate", module).doesNotContainKey("SPRING_FLYWAY_ENABLED");
    assertThat(Yaml.list(container("byov/" + module.directory).get("args"))).as("arguments of %s", module).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void migrateProfileStartsNoWebServer(ServiceModule module) {
    Assumptions.assumeTrue(ownsSchema(module), module + " has no spring.flyway settings, so nothing to migrate");
    Map<String, Object> profile = configuration(module, module.configName + "-" + PROFILE + ".yml");

    assertThat(profile).as("%s-%s.yml of %s", module.configName, PROFILE, module).isNotEmpty();
    assertThat(Yaml.at(profile, "spring", "main", "web-application-type")).isEqualTo("none");
    assertThat(Yaml.at(profile, "spring", "flyway", "enabled")).isEqualTo(true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServiceModule.class)
  void jobUsesDatabaseOfDeployment(ServiceModule module) {
    Assumptions.assumeTrue(ownsSchema(module), module + " has no spring.flyway settings, so nothing to migrate");
    Map<String, Object> deployment = object("Deployment/byov-" + module.directory);
    Map<String, String> serviceEnv = environment(Workloads.containers(deployment).get(0));
    Map<String, String> jobEnv = environment(container("byov/" + module.directory));

    for (String variable : List.of("BYOV_DB_URL", "BYOV_DB_USER", "BYOV_DB_PASSWORD")) {
      assertThat(jobEnv.get(variable)).as("%s of %s in Job byov-migrate", variable, module).isEqualTo(serviceEnv.get(variable));
    }
    // The Deployment must not race the Job on the schema.
    assertThat(serviceEnv.get("SPRING_FLYWAY_ENABLED")).as("SPRING_FLYWAY_ENABLED of Deployment byov-%s", module).isEqualTo("false");
  }

  @Test
  void jobRunsOnlyServiceImages() {
    assertThat(Workloads.containers(job()))
        .as("containers of Job byov-migrate")
        .isNotEmpty()
        .allSatisfy(container -> assertThat(String.valueOf(container.get("image"))).startsWith("byov/"));
  }
}
