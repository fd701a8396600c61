package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.orchestrator.dispatch.DispatchProperties;
import org.byov.orchestrator.dispatch.KubernetesJobFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The trainer Jobs that the orchestrator creates in the GPU overlay, built with the orchestrator's
 * own {@link KubernetesJobFactory} from overlays/gpu/dispatch.yml as Spring binds it: they request
 * the GPU, tolerate its taint, and fit the selectors, accounts and Secrets of the manifests.
 */
class TrainerJobTest {

  private static DispatchProperties.Kubernetes settings;
  private static PodSpec pod;
  private static Job job;

  @BeforeAll
  static void buildJob() throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    List<PropertySource<?>> sources =
        new YamlPropertySourceLoader().load("dispatch.yml",
            new FileSystemResource(Repository.path("deploy/kubernetes/overlays/gpu/dispatch.yml")));
    sources.forEach(source -> environment.getPropertySources().addFirst(source));
    Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));
    DispatchProperties properties = binder.bind("byov.dispatch", DispatchProperties.class).get();
    settings = properties.kubernetes();
    assertThat(properties.mode()).isEqualTo(DispatchProperties.Mode.KUBERNETES);

    job = new KubernetesJobFactory(settings).build(UUID.randomUUID(), UUID.randomUUID(), 7);
    pod = job.getSpec().getTemplate().getSpec();
  }

  @Test
  void mapKeysKeepTheirCharacters() {
    assertThat(settings.nodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(settings.env()).containsKeys("BYOV_DEVICE", "BYOV_ARTIFACTS_ROOT", "BYOV_DATA_ROOT");
  }

  @Test
  void jobRequestsGpuAndToleratesTaint() {
    Container container = pod.getContainers().get(0);

    assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
    assertThat(container.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
    assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
    assertThat(container.getImage()).isEqualTo("byov/trainer-worker-gpu:0.1.0");
  }

  @Test
  void jobPodsMatchTrainerSelectors() {
    Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();

    for (String key : List.of("NetworkPolicy/byov-trainer-worker", "PodMonitor/byov-trainer-worker")) {
      Map<String, Object> selector = selectorOf(key);
      assertThat(labels).as("pod labels of the orchestrator's Jobs against %s", key).containsAllEntriesOf(toStrings(selector));
    }
  }

  @Test
  void jobReferencesExistingAccountAndSecret() {
    assertThat(KubernetesManifestsTest.manifests().map(Manifest::key))
        .contains("ServiceAccount/" + pod.getServiceAccountName(), "Secret/" + settings.workerTokenSecret());
    Map<String, Object> secret = KubernetesManifestsTest.manifests()
        .filter(manifest -> manifest.key().equals("Secret/" + settings.workerTokenSecret()))
        .findFirst().orElseThrow().content();
    assertThat(Yaml.map(secret.get("stringData"))).containsKey(settings.workerTokenKey());
  }

  @Test
  void jobEnvironmentIsReadByTrainer() {
    ServiceSettings trainer = ServiceSettings.of(ServiceModule.TRAINER_WORKER);

    for (EnvVar variable : pod.getContainers().get(0).getEnv()) {
      assertThat(trainer.readsVariable(variable.getName())).as("trainer reads %s", variable.getName()).isTrue();
    }
  }

  private static Map<String, Object> selectorOf(String key) {
    Manifest manifest = KubernetesManifestsTest.manifests()
        .filter(candidate -> candidate.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not found"));
    Object selector = key.startsWith("NetworkPolicy")
        ? Yaml.at(manifest.content(), "spec", "podSelector", "matchLabels")
        : Yaml.at(manifest.content(), "spec", "selector", "matchLabels");
    return Yaml.map(selector);
  }

  private static Map<String, String> toStrings(Map<String, Object> map) {
    return map.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, entry -> String.valueOf(entry.getValue())));
  }
}
