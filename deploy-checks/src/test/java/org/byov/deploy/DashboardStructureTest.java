package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The dashboards fit Grafana's provisioning: each has a unique uid, every panel uses a
 * provisioned datasource, and every variable a query uses is defined in the dashboard.
 */
class DashboardStructureTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$(?!__)([a-zA-Z_][a-zA-Z0-9_]*)");

  static Stream<Path> dashboards() {
    return Dashboards.files().stream();
  }

  @Test
  void threeDashboardsWithUniqueUids() {
    List<String> uids = dashboards().map(file -> Dashboards.read(file).path("uid").asString()).toList();

    assertThat(uids).containsExactlyInAnyOrder("byov-training", "byov-evaluation", "byov-inference");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void panelsUseProvisionedDatasources(Path file) {
    Set<String> provisioned = new TreeSet<>();
    Map<String, Object> datasources =
        Yaml.document(Repository.path("deploy/grafana/provisioning/datasources/byov.yml"));
    Yaml.list(datasources.get("datasources")).forEach(source -> provisioned.add(String.valueOf(Yaml.map(source).get("uid"))));

    for (JsonNode panel : Dashboards.read(file).path("panels")) {
      if (panel.path("type").asString().equals("row")) {
        continue;
      }
      assertThat(provisioned).as("datasource of panel %s", panel.path("title").asString())
          .contains(panel.path("datasource").path("uid").asString());
      for (JsonNode target : panel.path("targets")) {
        assertThat(provisioned).as("datasource of a target of %s", panel.path("title").asString())
            .contains(target.path("datasource").path("uid").asString());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void queryVariablesAreDefined(Path file) {
    JsonNode dashboard = Dashboards.read(file);
    Set<String> defined = new TreeSet<>();
    dashboard.path("templating").path("list").forEach(variable -> defined.add(variable.path("name").asString()));
    List<String> used = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String text = target.has("rawSql") ? target.path("rawSql").asString() : target.path("expr").asString();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
          used.add(matcher.group(1));
        }
      }
    }

    assertThat(defined).as("variables of %s", file.getFileName()).containsAll(used);
  }

  @Test
  void providerLoadsTheComposeMount() {
    Map<String, Object> provider = Yaml.document(Repository.path("deploy/grafana/provisioning/dashboards/byov.yml"));
    String path = String.valueOf(Yaml.at(provider, "providers", 0, "options", "path"));

    assertThat(Yaml.list(Yaml.at(ComposeTest.services(), "grafana", "volumes")).stream().map(String::valueOf))
        .contains("./deploy/grafana/dashboards:" + path + ":ro");
  }
}
