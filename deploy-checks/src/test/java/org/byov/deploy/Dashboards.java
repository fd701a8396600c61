package org.byov.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The queries of the Grafana dashboards under deploy/grafana/dashboards. */
final class Dashboards {

  static final Path DIRECTORY = Repository.path("deploy/grafana/dashboards");
  static final String PROMETHEUS_UID = "byov-prometheus";
  static final String POSTGRES_UID = "byov-postgres";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Dashboards() {}

  /** One query: the dashboard file, the panel or variable it belongs to, and its text. */
  record Query(String dashboard, String owner, String text) {
    @Override
    public String toString() {
      return dashboard + ": " + owner;
    }
  }

  static List<Path> files() {
    return Repository.files(DIRECTORY, ".json");
  }

  static JsonNode read(Path file) {
    return JSON.readTree(Repository.read(file));
  }

  /** Returns the SQL of every PostgreSQL panel target and query variable. */
  static List<Query> sqlQueries() {
    return queries(POSTGRES_UID);
  }

  /** Returns the PromQL of every Prometheus panel target. */
  static List<Query> promQueries() {
    return queries(PROMETHEUS_UID);
  }

  private static List<Query> queries(String datasourceUid) {
    List<Query> queries = new ArrayList<>();
    for (Path file : files()) {
      JsonNode dashboard = read(file);
      String name = file.getFileName().toString();
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (datasourceUid.equals(variable.path("datasource").path("uid").asString(""))) {
          queries.add(new Query(name, "variable " + variable.path("name").asString(), variable.path("query").asString()));
        }
      }
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          if (!datasourceUid.equals(target.path("datasource").path("uid").asString(""))) {
            continue;
          }
          String text = target.has("rawSql") ? target.path("rawSql").asString() : target.path("expr").asString();
          queries.add(new Query(name,
              "panel '" + panel.path("title").asString() + "' target " + target.path("refId").asString(), text));
        }
      }
    }
    return queries;
  }

  /** Replaces Grafana's PromQL variables with fixed durations that Prometheus accepts. */
  static String expandPromQl(String expression) {
    return expression
        .replace("$__rate_interval", "1m")
        .replace("$__interval", "15s")
        .replace("$__range", "1h");
  }
}
