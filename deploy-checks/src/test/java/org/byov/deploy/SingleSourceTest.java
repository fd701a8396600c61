package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files that deploy/ keeps in two formats have the same content in both. */
class SingleSourceTest {

  @Test
  void prometheusRuleMatchesAlertsFile() {
    Map<String, Object> alerts = Yaml.document(Repository.path("deploy/prometheus/alerts.yml"));
    Map<String, Object> rule =
        Yaml.document(Repository.path("deploy/kubernetes/base/alerts-rule.yaml"));

    // deploy/prometheus/generate-prometheus-rule.sh rewrites the PrometheusRule after a change.
    assertThat(Yaml.at(rule, "spec", "groups"))
        .as("spec.groups of alerts-rule.yaml; rerun deploy/prometheus/generate-prometheus-rule.sh")
        .isEqualTo(alerts.get("groups"));
  }

  @Test
  void alertsCoverTheOperatorSignals() {
    Map<String, Object> alerts = Yaml.document(Repository.path("deploy/prometheus/alerts.yml"));

    assertThat(
            Yaml.list(alerts.get("groups")).stream()
                .flatMap(group -> Yaml.list(Yaml.map(group).get("rules")).stream())
                .map(rule -> Yaml.map(rule).get("alert")))
        .contains(
            "ByovRunsFailed",
            "ByovRepresentationCollapse",
            "ByovTaskLeasesExpiring",
            "ByovInferenceLatencyHigh",
            "ByovReadinessLost");
  }

  @Test
  void kubernetesInitScriptMatchesCompose() {
    String script = Repository.read(Repository.path("deploy/postgres/10-grafana-role.sh"));
    Object configMapScript =
        Manifest.read(Repository.path("deploy/kubernetes/base/postgres.yaml")).stream()
            .filter(manifest -> manifest.key().equals("ConfigMap/byov-postgres-init"))
            .findFirst()
            .map(manifest -> Yaml.at(manifest.content(), "data", "10-grafana-role.sh"))
            .orElseThrow(() -> new AssertionError("ConfigMap byov-postgres-init is missing"));

    assertThat(configMapScript).isEqualTo(script);
  }
}
