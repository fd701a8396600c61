package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ByovReadinessLost} watches the pods of the long-running Deployments and no Job pod.
 * Kubernetes reports the pod of a finished Job as not ready until the Job's TTL deletes it, so a
 * selector that took in the migration Job or the GPU trainer Jobs would fire for finished work.
 *
 * <p>The pod names follow the Kubernetes controllers: a Deployment's pod is
 * {@code {deployment}-{pod-template-hash}-{5 characters}} and a Job's pod is
 * {@code {job}-{5 characters}}. The Deployments and the migration Job come from every manifest
 * under deploy/kubernetes, and the trainer Job from the GPU overlay's dispatch settings and the
 * orchestrator's own Job factory ({@link GpuOverlayJob}). kube-state-metrics gives
 * {@code kube_pod_status_ready} the labels namespace, pod, uid and condition, not the pod's own
 * labels, so the pod name is what a selector on it can use.
 */
class ReadinessAlertTest {

  private static final String ALERT = "ByovReadinessLost";
  private static final String SERIES = "kube_pod_status_ready";
  /** A pod-template-hash and a pod suffix as the controllers make them. */
  private static final String TEMPLATE_HASH = "5d8f7c9b4";
  private static final String POD_SUFFIX = "x2k7q";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static String expression() {
    String expression = PromQl.alertExpressions().get(ALERT);
    assertThat(expression).as("alert %s in deploy/prometheus/alerts.yml", ALERT).isNotNull();
    return expression;
  }

  private static String namespace() {
    return String.valueOf(Kustomization.of(KubernetesManifestsTest.KUBERNETES.resolve("base"))
        .content().get("namespace"));
  }

  static Stream<String> deploymentPods() {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.kind().equals("Deployment"))
        .map(Manifest::name)
        .distinct()
        .map(name -> name + "-" + TEMPLATE_HASH + "-" + POD_SUFFIX);
  }

  static Stream<String> jobPods() {
    Stream<String> manifestJobs = KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.kind().equals("Job"))
        .map(Manifest::name);
    Stream<String> trainerJob = Stream.of(GpuOverlayJob.job().getMetadata().getName());
    return Stream.concat(manifestJobs, trainerJob)
        .distinct()
        .map(name -> name + "-" + POD_SUFFIX);
  }

  /** Returns the labels of a pod's readiness series for one condition: true, false or unknown. */
  private static Map<String, String> readinessLabels(String pod, String condition) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("namespace", namespace());
    labels.put("pod", pod);
    labels.put("uid", "0c6f1e0a-5b1d-4f2e-9d7a-3e8b2f4c1a90");
    labels.put("condition", condition);
    return labels;
  }

  private static List<PromQl.LabelMatcher> podSelector() {
    List<List<PromQl.LabelMatcher>> selectors = PromQl.matchers(expression(), SERIES);
    assertThat(selectors).as("selectors of %s with label matchers in %s", SERIES, ALERT).hasSize(1);
    return selectors.get(0);
  }

  private static boolean selects(String pod) {
    Map<String, String> series = readinessLabels(pod, "false");
    return podSelector().stream().allMatch(matcher -> matcher.matches(series));
  }

  @Test
  void alertReadsOnlyPodReadiness() {
    // A second selector, such as a join with kube_pod_labels, would need its own check here.
    assertThat(PromQl.selectors(expression()).stream().map(PromQl.Selector::metric))
        .as("series that %s selects", ALERT)
        .containsExactly(SERIES);
  }

  @Test
  void podsComeFromManifestsAndDispatch() {
    assertThat(jobPods().toList()).as("Job pods")
        .contains("byov-migrate-" + POD_SUFFIX)
        .anyMatch(pod -> pod.startsWith("byov-train-"));
    assertThat(deploymentPods().toList()).as("Deployment pods")
        .contains("byov-orchestrator-" + TEMPLATE_HASH + "-" + POD_SUFFIX)
        .contains("byov-trainer-worker-" + TEMPLATE_HASH + "-" + POD_SUFFIX);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deploymentPods")
  void alertSelectsDeploymentPod(String pod) {
    assertThat(selects(pod)).as("%s selects the not-ready pod %s", ALERT, pod).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobPods")
  void alertIgnoresJobPod(String pod) {
    assertThat(selects(pod)).as("%s selects the not-ready Job pod %s", ALERT, pod).isFalse();
  }

  /**
   * Evaluates the alert's expression with promtool's unit tests, so that Prometheus' own regular
   * expression engine (RE2) decides: with every pod not ready for 10 minutes, the result contains
   * exactly the Deployment pods. Skipped without promtool.
   */
  @Test
  void promtoolSelectsOnlyDeploymentPods(@TempDir Path directory)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(onPath("promtool"),
        "promtool is not installed: run scripts/install-test-tools.sh (Debian package prometheus)");
    List<Map<String, Object>> inputSeries = new ArrayList<>();
    Stream.concat(deploymentPods(), jobPods()).forEach(pod -> {
      for (String condition : List.of("true", "false", "unknown")) {
        // One sample a minute for 11 minutes: 1 for the condition "false", 0 for the others.
        String values = condition.equals("false") ? "1x10" : "0x10";
        String series = series(readinessLabels(pod, condition));
        inputSeries.add(Map.of("series", series, "values", values));
      }
    });
    List<Map<String, Object>> expected = deploymentPods()
        .map(pod -> Map.<String, Object>of(
            "labels", "{namespace=\"" + namespace() + "\",pod=\"" + pod + "\"}", "value", 1))
        .toList();
    Map<String, Object> test = Map.of(
        "interval", "1m",
        "input_series", inputSeries,
        "promql_expr_test",
        List.of(Map.of("expr", expression(), "eval_time", "10m", "exp_samples", expected)));
    String rules = Repository.path("deploy/prometheus/alerts.yml").toString();
    Path file = directory.resolve("readiness-alert-test.yml");
    Files.writeString(file,
        JSON.writeValueAsString(Map.of("rule_files", List.of(rules), "tests", List.of(test))));

    Process process = new ProcessBuilder("promtool", "test", "rules", file.toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as("exit status of promtool test rules:%n%s", output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  private static String series(Map<String, String> labels) {
    List<String> pairs = new ArrayList<>();
    labels.forEach((name, value) -> pairs.add(name + "=\"" + value + "\""));
    return SERIES + "{" + String.join(",", pairs) + "}";
  }

  private static boolean onPath(String binary) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":"))
        .map(directory -> Path.of(directory, binary))
        .anyMatch(Files::isExecutable);
  }
}
