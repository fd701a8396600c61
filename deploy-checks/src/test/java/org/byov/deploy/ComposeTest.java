package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: its services, health checks, dependency
 * conditions, volumes, the variables it takes from deploy/compose.env.example, and the
 * Prometheus and Grafana files it mounts.
 */
class ComposeTest {

  static final Path COMPOSE = Repository.path("docker-compose.yml");
  static final Path ENV_EXAMPLE = Repository.path("deploy/compose.env.example");
  private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)");

  /** The BYOV services and their ports from docs/conventions.md. */
  static final Map<String, Integer> SERVICE_PORTS =
      Map.of("orchestrator", 8080, "trainer-worker", 8081, "eval-service", 8082, "inference-api", 8083);

  static Map<String, Object> compose() {
    return Yaml.document(COMPOSE);
  }

  static Map<String, Object> services() {
    return Yaml.map(compose().get("services"));
  }

  /** Returns the variables of the env file example, in file order. */
  static Map<String, String> exampleVariables() {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String line : Repository.read(ENV_EXAMPLE).lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      variables.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return variables;
  }

  @Test
  void composeRunsTheWholeStack() {
    assertThat(services().keySet())
        .containsExactlyInAnyOrder(
            "postgres", "orchestrator", "trainer-worker", "eval-service", "inference-api",
            "prometheus", "grafana");
    assertThat(Yaml.at(services(), "postgres", "image")).isEqualTo("postgres:17");
  }

  @Test
  void dependenciesWaitForHealthyServices() {
    services().forEach((name, definition) -> {
      Map<String, Object> dependsOn = Yaml.map(Yaml.map(definition).get("depends_on"));
      dependsOn.forEach((target, condition) -> {
        assertThat(services()).as("depends_on of %s", name).containsKey(target);
        assertThat(Yaml.map(condition).get("condition"))
            .as("condition of %s on %s", name, target)
            .isEqualTo("service_healthy");
        assertThat(Yaml.at(services(), target, "healthcheck"))
            .as("health check of %s, which %s waits for", target, name)
            .isNotNull();
      });
    });
    assertThat(Yaml.at(services(), "orchestrator", "depends_on", "postgres")).isNotNull();
    assertThat(Yaml.at(services(), "trainer-worker", "depends_on", "orchestrator")).isNotNull();
    assertThat(Yaml.at(services(), "eval-service", "depends_on", "postgres")).isNotNull();
  }

  @Test
  void serviceHealthChecksUseConventionPorts() {
    SERVICE_PORTS.forEach((service, port) -> {
      String test = String.join(" ", Yaml.list(Yaml.at(services(), service, "healthcheck", "test"))
          .stream().map(String::valueOf).toList());
      assertThat(test).as("health check of %s", service)
          .contains("http://127.0.0.1:" + port + "/actuator/health/");
      assertThat(Yaml.at(services(), service, "build", "dockerfile"))
          .as("Dockerfile of %s", service)
          .isEqualTo("deploy/docker/Dockerfile." + service);
      assertThat(Yaml.at(services(), service, "build", "context")).isEqualTo(".");
    });
  }

  @Test
  void servicesShareTheArtifactsVolume() {
    assertThat(Yaml.map(compose().get("volumes"))).containsKey("artifacts");
    SERVICE_PORTS.keySet().forEach(service ->
        assertThat(Yaml.list(Yaml.at(services(), service, "volumes")).stream().map(String::valueOf))
            .as("volumes of %s", service)
            .anyMatch(volume -> volume.startsWith("artifacts:/var/lib/byov/artifacts")));
  }

  @Test
  void bindMountsExist() {
    services().forEach((name, definition) -> {
      for (Object volume : Yaml.list(Yaml.map(definition).get("volumes"))) {
        String source = String.valueOf(volume).split(":")[0];
        if (source.startsWith("./")) {
          assertThat(Repository.path(source.substring(2))).as("bind mount of %s", name).exists();
        } else if (!source.startsWith("${")) {
          assertThat(Yaml.map(compose().get("volumes"))).as("named volume of %s", name).containsKey(source);
        }
      }
    });
  }

  @Test
  void composeVariablesAreInTheExample() {
    Set<String> referenced = new TreeSet<>();
    Matcher matcher = VARIABLE.matcher(Repository.read(COMPOSE));
    while (matcher.find()) {
      referenced.add(matcher.group(1));
    }
    Yaml.map(compose().get("secrets")).values().forEach(secret ->
        referenced.add(String.valueOf(Yaml.map(secret).get("environment"))));

    assertThat(exampleVariables().keySet())
        .as("variables of deploy/compose.env.example")
        .containsAll(referenced);
  }

  @Test
  void exampleHoldsNoRealSecrets() {
    exampleVariables().forEach((name, value) -> {
      if (name.endsWith("_TOKEN") || name.endsWith("_PASSWORD")) {
        assertThat(value).as("%s in deploy/compose.env.example", name).startsWith("change-me");
      }
    });
    assertThat(Repository.read(Repository.root().resolve(".gitignore")))
        .as(".gitignore must keep the real env file out of git")
        .contains("deploy/compose.env");
  }

  @Test
  void exampleTokenListAcceptsEveryToken() {
    Map<String, String> variables = exampleVariables();
    String tokenList = variables.get("BYOV_TOKENS");
    Map<String, String> roleOfToken = new LinkedHashMap<>();
    for (String entry : tokenList.split(",")) {
      String[] parts = entry.split(":");
      roleOfToken.put(parts[1], parts[2]);
    }

    assertThat(roleOfToken.get(variables.get("BYOV_WORKER_TOKEN"))).isEqualTo("worker");
    assertThat(roleOfToken.get(variables.get("BYOV_INFERENCE_TOKEN"))).isEqualTo("inference");
    assertThat(roleOfToken.get(variables.get("BYOV_ADMIN_TOKEN"))).isEqualTo("admin");
    // The services serve /actuator/prometheus to the metrics role, which allows nothing else.
    assertThat(roleOfToken.get(variables.get("BYOV_PROMETHEUS_TOKEN"))).isEqualTo("metrics");
  }

  @Test
  void prometheusScrapesEveryComposeService() {
    Map<String, Object> config = Yaml.document(Repository.path("deploy/prometheus/prometheus.yml"));
    List<String> targets =
        Yaml.list(config.get("scrape_configs")).stream()
            .flatMap(job -> Yaml.list(Yaml.map(job).get("static_configs")).stream())
            .flatMap(staticConfig -> Yaml.list(Yaml.map(staticConfig).get("targets")).stream())
            .map(String::valueOf)
            .toList();

    SERVICE_PORTS.forEach((service, port) -> assertThat(targets).contains(service + ":" + port));
    assertThat(Yaml.list(Yaml.at(services(), "prometheus", "volumes")).stream().map(String::valueOf))
        .contains(
            "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  }

  @Test
  void grafanaGetsEveryDatasourceVariable() {
    Set<String> used = new TreeSet<>();
    Matcher matcher =
        VARIABLE.matcher(Repository.read(Repository.path("deploy/grafana/provisioning/datasources/byov.yml")));
    while (matcher.find()) {
      used.add(matcher.group(1));
    }

    assertThat(Yaml.map(Yaml.at(services(), "grafana", "environment")).keySet()).containsAll(used);
  }
}
