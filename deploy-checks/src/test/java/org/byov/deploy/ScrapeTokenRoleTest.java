package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The token Prometheus scrapes with carries the metrics role alone wherever a service accepts it,
 * in docker-compose.yml and in deploy/kubernetes. That role allows GET /actuator/prometheus and
 * nothing else, so a leaked scrape token cannot read or change runs, models or other Actuator
 * endpoints. ComposeTest checks the role of BYOV_PROMETHEUS_TOKEN in deploy/compose.env.example.
 */
class ScrapeTokenRoleTest {

  private static final Pattern TOKEN_VARIABLE =
      Pattern.compile("BYOV_SECURITY_TOKENS_(\\d+)_TOKEN");

  @Test
  void composeInferenceApiGivesMetricsRole() {
    Map<String, Object> environment =
        Yaml.map(Yaml.at(ComposeTest.services(), "inference-api", "environment"));

    List<String> roles = new ArrayList<>();
    environment.forEach((name, value) -> {
      Matcher matcher = TOKEN_VARIABLE.matcher(name);
      if (matcher.matches() && String.valueOf(value).startsWith("${BYOV_PROMETHEUS_TOKEN")) {
        roles.add(String.valueOf(environment.get("BYOV_SECURITY_TOKENS_" + matcher.group(1) + "_ROLES")));
      }
    });

    assertThat(roles)
        .as("roles of the inference-api token set from BYOV_PROMETHEUS_TOKEN in docker-compose.yml")
        .containsExactly("metrics");
  }

  @Test
  void kubernetesTokenListGivesMetricsRole() {
    Map<String, Object> tokens = manifest("secrets.example.yaml", "Secret/byov-tokens");
    String scrapeToken = String.valueOf(Yaml.at(tokens, "stringData", scrapeTokenKey()));
    String tokenList = String.valueOf(Yaml.at(tokens, "stringData", "token-list"));

    assertThat(rolesOfToken(tokenList, scrapeToken))
        .as("roles of the ServiceMonitor's token in token-list of Secret byov-tokens")
        .containsExactly("metrics");
  }

  @Test
  void kubernetesInferenceApiGivesMetricsRole() {
    Map<String, Object> deployment = manifest("inference-api.yaml", "Deployment/byov-inference-api");
    String key = scrapeTokenKey();

    List<String> roles = new ArrayList<>();
    for (Map<String, Object> container : Workloads.containers(deployment)) {
      List<Object> environment = Yaml.list(container.get("env"));
      for (Object variable : environment) {
        String name = String.valueOf(Yaml.map(variable).get("name"));
        Matcher matcher = TOKEN_VARIABLE.matcher(name);
        Object secretKey = Yaml.at(variable, "valueFrom", "secretKeyRef", "key");
        if (matcher.matches() && key.equals(secretKey)) {
          roles.add(variableValue(environment, "BYOV_SECURITY_TOKENS_" + matcher.group(1) + "_ROLES"));
        }
      }
    }

    assertThat(roles)
        .as("roles of the inference-api token read from Secret key %s", key)
        .containsExactly("metrics");
  }

  /** Returns the key of Secret byov-tokens that the ServiceMonitor sends as its bearer token. */
  private static String scrapeTokenKey() {
    Map<String, Object> monitor = manifest("monitoring.yaml", "ServiceMonitor/byov-services");
    Object credentials =
        Yaml.at(monitor, "spec", "endpoints", 0, "authorization", "credentials");
    assertThat(Yaml.at(credentials, "name")).as("Secret of the ServiceMonitor's token")
        .isEqualTo("byov-tokens");
    return String.valueOf(Yaml.at(credentials, "key"));
  }

  private static Map<String, Object> manifest(String file, String key) {
    return Manifest.read(KubernetesManifestsTest.KUBERNETES.resolve("base").resolve(file)).stream()
        .filter(manifest -> manifest.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not found in deploy/kubernetes/base/" + file))
        .content();
  }

  private static String variableValue(List<Object> environment, String name) {
    return environment.stream()
        .map(Yaml::map)
        .filter(variable -> name.equals(variable.get("name")))
        .map(variable -> String.valueOf(variable.get("value")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("The inference-api container has no variable " + name));
  }

  /** Returns the roles of a token in a name:token:role+role list, or an empty list if it is absent. */
  private static List<String> rolesOfToken(String tokenList, String token) {
    for (String entry : tokenList.split(",")) {
      String[] parts = entry.strip().split(":");
      if (parts.length == 3 && parts[1].equals(token)) {
        return List.of(parts[2].split("\\+"));
      }
    }
    return List.of();
  }
}
