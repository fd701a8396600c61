package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.byov.orchestrator.dispatch.DispatchProperties;
import org.junit.jupiter.api.Test;

/**
 * The trainer Jobs that the orchestrator creates in the GPU overlay ({@link GpuOverlayJob}) fit
 * the manifests of deploy/kubernetes: the PodMonitor scrapes them, the trainers' NetworkPolicy
 * selects them, they write to the claim that the other services read, and every Secret, account
 * and variable they use exists. The security settings are checked with every other workload in
 * {@link WorkloadPolicyTest}.
 */
class TrainerJobTest {

  private static final DispatchProperties.Kubernetes settings = GpuOverlayJob.settings();
  private static final Job job = GpuOverlayJob.job();
  private static final PodSpec pod = job.getSpec().getTemplate().getSpec();
  private static final Container container = pod.getContainers().get(0);
  private static final Map<String, String> podLabels = job.getSpec().getTemplate().getMetadata().getLabels();

  private static Map<String, Object> object(String key) {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not found under deploy/kubernetes"))
        .content();
  }

  private static List<Map<String, Object>> objects(String kind) {
    return KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.kind().equals(kind))
        .map(Manifest::content)
        .toList();
  }

  private static String name(Map<String, Object> object) {
    return String.valueOf(Yaml.at(object, "metadata", "name"));
  }

  @Test
  void overlayUsesKubernetesDispatch() {
    assertThat(GpuOverlayJob.properties().mode()).isEqualTo(DispatchProperties.Mode.KUBERNETES);
    // The PodMonitor and NetworkPolicies act in the namespace kustomize gives them, which is also
    // the orchestrator's namespace, where an empty setting creates the Jobs.
    assertThat(settings.namespace()).as("byov.dispatch.kubernetes.namespace of the GPU overlay").isEmpty();
  }

  @Test
  void mapKeysKeepTheirCharacters() {
    assertThat(settings.nodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(settings.podLabels()).containsKey("app.kubernetes.io/name");
    assertThat(settings.env()).containsKeys("BYOV_DEVICE", "BYOV_THREADS");
  }

  @Test
  void jobRequestsGpuAndToleratesTaint() {
    assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
    assertThat(container.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
    assertThat(container.getResources().getRequests().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
    assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
    assertThat(container.getImage()).isEqualTo("byov/trainer-worker-gpu:0.1.0");
  }

  @Test
  void podMonitorSelectsJobPods() {
    Map<String, Object> monitor = object("PodMonitor/byov-trainer-worker");
    List<String> portNames = container.getPorts().stream().map(ContainerPort::getName).toList();

    assertThat(LabelSelector.matches(Yaml.map(Yaml.at(monitor, "spec", "selector")), podLabels))
        .as("PodMonitor byov-trainer-worker selects pods labelled %s", podLabels)
        .isTrue();
    assertThat(Yaml.at(monitor, "spec", "namespaceSelector"))
        .as("namespaceSelector of the PodMonitor; absent means its own namespace, where the Jobs run")
        .isNull();
    List<Object> endpoints = Yaml.list(Yaml.at(monitor, "spec", "podMetricsEndpoints"));
    assertThat(endpoints).isNotEmpty();
    for (Object endpoint : endpoints) {
      assertThat(portNames).as("named ports of the Job's container").contains(String.valueOf(Yaml.map(endpoint).get("port")));
    }
  }

  @Test
  void podMonitorTokenAcceptedByTrainer() {
    // The trainer serves /actuator/prometheus to tokens of BYOV_TOKENS with the metrics or admin
    // role, and the deployment gives the scrape token the metrics role alone.
    Map<String, Object> monitor = object("PodMonitor/byov-trainer-worker");
    Object credentials = Yaml.at(monitor, "spec", "podMetricsEndpoints", 0, "authorization", "credentials");
    String scrapeToken = secretValue(String.valueOf(Yaml.at(credentials, "name")), String.valueOf(Yaml.at(credentials, "key")));
    EnvVar tokens = env("BYOV_TOKENS");
    String tokenList = secretValue(tokens.getValueFrom().getSecretKeyRef().getName(), tokens.getValueFrom().getSecretKeyRef().getKey());

    assertThat(List.of(tokenList.split(",")))
        .as("entries name:token:roles of the trainer's token list")
        .anyMatch(entry -> entry.split(":").length == 3
            && entry.split(":")[1].equals(scrapeToken)
            && List.of(entry.split(":")[2].split("\\+")).equals(List.of("metrics")));
  }

  @Test
  void workerNetworkPolicySelectsJobPods() {
    List<String> selecting =
        objects("NetworkPolicy").stream()
            .filter(policy -> LabelSelector.matches(Yaml.map(Yaml.at(policy, "spec", "podSelector")), podLabels))
            .map(TrainerJobTest::name)
            .toList();

    assertThat(selecting).as("NetworkPolicies that select the Job pods").containsExactly("byov-trainer-worker");
  }

  @Test
  void workerNetworkPolicyAdmitsMetricsPort() {
    Map<String, Object> policy = object("NetworkPolicy/byov-trainer-worker");
    ContainerPort metrics = container.getPorts().get(0);

    assertThat(Yaml.list(Yaml.at(policy, "spec", "ingress")))
        .as("ingress rules of NetworkPolicy byov-trainer-worker admit port %s", metrics.getContainerPort())
        .anyMatch(rule -> Yaml.list(Yaml.map(rule).get("ports")).stream().map(Yaml::map)
            .anyMatch(port -> Objects.equals(port.get("port"), metrics.getContainerPort())
                || Objects.equals(port.get("port"), metrics.getName())));
  }

  @Test
  void workerNetworkPolicyLetsJobReachOrchestrator() {
    // byov.dispatch.kubernetes.orchestrator-url names a Service; its pods must be an egress target.
    URI url = URI.create(settings.orchestratorUrl());
    Map<String, Object> service = object("Service/" + url.getHost());
    Map<String, Object> servicePort =
        Yaml.list(Yaml.at(service, "spec", "ports")).stream().map(Yaml::map)
            .filter(port -> Objects.equals(port.get("port"), url.getPort()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("Service " + url.getHost() + " has no port " + url.getPort()));
    Map<String, String> orchestratorLabels = stringMap(Yaml.map(Yaml.at(service, "spec", "selector")));
    int targetPort = containerPort(orchestratorLabels, servicePort.get("targetPort"));
    Map<String, Object> policy = object("NetworkPolicy/byov-trainer-worker");

    assertThat(Yaml.list(Yaml.at(policy, "spec", "egress")))
        .as("egress of NetworkPolicy byov-trainer-worker to pods %s on port %s", orchestratorLabels, targetPort)
        .anyMatch(rule -> Yaml.list(Yaml.map(rule).get("to")).stream().map(Yaml::map)
                .anyMatch(peer -> peer.containsKey("podSelector") && !peer.containsKey("namespaceSelector")
                    && LabelSelector.matches(Yaml.map(peer.get("podSelector")), orchestratorLabels))
            && Yaml.list(Yaml.map(rule).get("ports")).stream().map(Yaml::map)
                .anyMatch(port -> Objects.equals(port.get("port"), targetPort)));
  }

  @Test
  void postgresPolicyRejectsJobPods() {
    Map<String, Object> policy = object("NetworkPolicy/byov-postgres");

    for (Object rule : Yaml.list(Yaml.at(policy, "spec", "ingress"))) {
      for (Object peer : Yaml.list(Yaml.map(rule).get("from"))) {
        assertThat(LabelSelector.matches(Yaml.map(Yaml.map(peer).get("podSelector")), podLabels))
            .as("PostgreSQL admits pods labelled %s", podLabels)
            .isFalse();
      }
    }
  }

  @Test
  void jobMountsSharedArtifactsClaim() {
    DispatchProperties.Volume volume = settings.volume();
    Map<String, Object> claim = object("PersistentVolumeClaim/" + volume.claimName());
    Volume podVolume =
        pod.getVolumes().stream()
            .filter(candidate -> candidate.getPersistentVolumeClaim() != null
                && candidate.getPersistentVolumeClaim().getClaimName().equals(volume.claimName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("The Job pod does not mount claim " + volume.claimName()));

    assertThat(Yaml.list(Yaml.at(claim, "spec", "accessModes"))).contains("ReadWriteMany");
    assertThat(container.getVolumeMounts())
        .anyMatch(mount -> mount.getName().equals(podVolume.getName())
            && mount.getMountPath().equals(volume.mountPath())
            && !Boolean.TRUE.equals(mount.getReadOnly()));
    assertThat(env("BYOV_ARTIFACTS_ROOT").getValue()).startsWith(volume.mountPath() + "/");
    assertThat(env("BYOV_DATA_ROOT").getValue()).startsWith(volume.mountPath() + "/");
  }

  @Test
  void servicesReadWhereJobWrites() {
    // Every workload that mounts the claim and sets BYOV_ARTIFACTS_ROOT or BYOV_DATA_ROOT must
    // see the same directories as the Job pod: same mount path, same values.
    String claimName = settings.volume().claimName();
    int compared = 0;
    for (Manifest workload : KubernetesManifestsTest.manifests().toList()) {
      Map<String, Object> podSpec = Workloads.podSpec(workload.content());
      List<String> claimVolumes =
          Yaml.list(podSpec.get("volumes")).stream().map(Yaml::map)
              .filter(candidate -> claimName.equals(Yaml.at(candidate, "persistentVolumeClaim", "claimName")))
              .map(candidate -> String.valueOf(candidate.get("name")))
              .toList();
      for (Map<String, Object> other : Workloads.containers(workload.content())) {
        Map<String, String> values = plainEnvironment(other);
        for (Object entry : Yaml.list(other.get("volumeMounts"))) {
          Map<String, Object> mount = Yaml.map(entry);
          if (!claimVolumes.contains(String.valueOf(mount.get("name"))) || mount.containsKey("subPath")) {
            continue;
          }
          String where = workload + " container " + other.get("name");
          assertThat(mount.get("mountPath")).as("mount path of claim %s in %s", claimName, where).isEqualTo(settings.volume().mountPath());
          for (String variable : List.of("BYOV_ARTIFACTS_ROOT", "BYOV_DATA_ROOT")) {
            if (values.containsKey(variable)) {
              assertThat(values.get(variable)).as("%s of %s", variable, where).isEqualTo(env(variable).getValue());
              compared++;
            }
          }
        }
      }
    }
    assertThat(compared).as("variables compared with another workload").isPositive();
  }

  @Test
  void jobReferencesExistingAccountAndSecrets() {
    assertThat(KubernetesManifestsTest.manifests().map(Manifest::key))
        .contains("ServiceAccount/" + pod.getServiceAccountName());
    assertThat(secretValue(settings.workerTokenSecret(), settings.workerTokenKey())).isNotBlank();
    assertThat(secretValue(settings.tokenListSecret(), settings.tokenListKey())).isNotBlank();
    EnvVar workerToken = env("BYOV_WORKER_TOKEN");
    assertThat(workerToken.getValue()).isNull();
    assertThat(workerToken.getValueFrom().getSecretKeyRef().getName()).isEqualTo(settings.workerTokenSecret());
  }

  @Test
  void jobEnvironmentIsReadByTrainer() {
    ServiceSettings trainer = ServiceSettings.of(ServiceModule.TRAINER_WORKER);

    for (EnvVar variable : container.getEnv()) {
      assertThat(trainer.readsVariable(variable.getName())).as("trainer reads %s", variable.getName()).isTrue();
    }
  }

  private static EnvVar env(String name) {
    return container.getEnv().stream()
        .filter(variable -> variable.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("The Job's container has no variable " + name));
  }

  /** Returns a value of an example Secret of deploy/kubernetes. */
  private static String secretValue(String secret, String key) {
    Object value = Yaml.at(object("Secret/" + secret), "stringData", key);
    assertThat(value).as("key %s of Secret %s", key, secret).isNotNull();
    return String.valueOf(value);
  }

  /** Returns the container port number that a Service's targetPort (number or name) refers to. */
  private static int containerPort(Map<String, String> podLabels, Object targetPort) {
    if (targetPort instanceof Integer number) {
      return number;
    }
    for (Manifest workload : KubernetesManifestsTest.manifests().toList()) {
      Map<String, String> labels = stringMap(Yaml.map(Yaml.at(workload.content(), "spec", "template", "metadata", "labels")));
      if (labels.isEmpty() || !labels.entrySet().containsAll(podLabels.entrySet())) {
        continue;
      }
      for (Map<String, Object> candidate : Workloads.containers(workload.content())) {
        for (Object port : Yaml.list(candidate.get("ports"))) {
          if (String.valueOf(targetPort).equals(Yaml.map(port).get("name"))) {
            return (Integer) Yaml.map(port).get("containerPort");
          }
        }
      }
    }
    throw new AssertionError("No pod labelled " + podLabels + " has a port named " + targetPort);
  }

  private static Map<String, String> plainEnvironment(Map<String, Object> container) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Object entry : Yaml.list(container.get("env"))) {
      Map<String, Object> variable = Yaml.map(entry);
      if (variable.containsKey("value")) {
        values.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
      }
    }
    return values;
  }

  private static Map<String, String> stringMap(Map<String, Object> map) {
    Map<String, String> strings = new LinkedHashMap<>();
    map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
    return strings;
  }
}
