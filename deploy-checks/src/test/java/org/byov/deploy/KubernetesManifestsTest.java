package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object of deploy/kubernetes parses into fabric8's model classes with no field that the
 * model does not know. fabric8 keeps unknown fields in {@code additionalProperties} instead of
 * failing, so the test walks each parsed object and requires those maps to be empty. Prometheus
 * Operator objects have no model class here: they parse as {@link GenericKubernetesResource} and
 * are checked against the fields of their CRDs that these manifests use.
 */
class KubernetesManifestsTest {

  static final Path KUBERNETES = Repository.path("deploy/kubernetes");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Returns every object of every file that a kustomization lists as a resource or a patch. */
  static Stream<Manifest> manifests() {
    Set<Path> files = new LinkedHashSet<>();
    for (Path directory : Kustomization.directoriesUnder(KUBERNETES)) {
      Kustomization kustomization = Kustomization.of(directory);
      files.addAll(kustomization.resourceFiles());
      kustomization.patches().stream()
          .map(Kustomization.Patch::file)
          .filter(file -> file != null)
          .forEach(files::add);
    }
    return files.stream().flatMap(file -> Manifest.read(file).stream());
  }

  @Test
  void manifestsExist() {
    assertThat(manifests().map(Manifest::kind))
        .as("kinds of the objects under deploy/kubernetes")
        .contains(
            "Deployment", "Job", "Service", "Secret", "PersistentVolumeClaim", "NetworkPolicy",
            "Role", "RoleBinding", "ServiceAccount", "HorizontalPodAutoscaler",
            "ServiceMonitor", "PodMonitor", "PrometheusRule");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void manifestParsesWithoutUnknownFields(Manifest manifest) {
    KubernetesResource parsed =
        SERIALIZATION.unmarshal(SERIALIZATION.asJson(manifest.content()), KubernetesResource.class);

    if (manifest.apiVersion().startsWith("monitoring.coreos.com/")) {
      assertThat(parsed).isInstanceOf(GenericKubernetesResource.class);
      assertThat(PrometheusOperatorSchema.violations(manifest.kind(), manifest.content()))
          .as("fields of %s", manifest)
          .isEmpty();
      return;
    }
    assertThat(parsed)
        .as("%s must parse into a fabric8 model class, not a generic resource", manifest)
        .isNotInstanceOf(GenericKubernetesResource.class)
        .isInstanceOf(HasMetadata.class);
    assertThat(unknownFields(parsed, manifest.kind()))
        .as("fields of %s that the Kubernetes model does not know", manifest)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void manifestHasNameAndNoNamespace(Manifest manifest) {
    assertThat(Yaml.at(manifest.content(), "metadata", "name")).as("name of %s", manifest).isNotNull();
    // kustomize sets the namespace; one written into a file would escape the overlay's choice.
    if (!manifest.kind().equals("Namespace")) {
      assertThat(Yaml.at(manifest.content(), "metadata", "namespace"))
          .as("namespace of %s", manifest)
          .isNull();
    }
  }

  @Test
  void unknownFieldIsReportedWithItsPath() {
    // A misspelt field deep in a pod template: fabric8 accepts it into additionalProperties.
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: sample}
        spec:
          selector: {matchLabels: {app: sample}}
          template:
            metadata: {labels: {app: sample}}
            spec:
              containers:
                - name: sample
                  image: sample
                  securityContext: {readOnlyRootFilesysem: true}
        """;
    Map<String, Object> content = Yaml.documents(deployment, "sample").get(0);

    KubernetesResource parsed =
        SERIALIZATION.unmarshal(SERIALIZATION.asJson(content), KubernetesResource.class);

    assertThat(unknownFields(parsed, "Deployment"))
        .containsExactly(
            "Deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesysem");
  }

  @Test
  void unknownMonitorFieldIsReported() {
    Map<String, Object> monitor =
        Yaml.documents(
                """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: sample}
                spec:
                  selector: {matchLabels: {app: sample}}
                  endpoints:
                    - {port: http, pathh: /metrics}
                """,
                "sample")
            .get(0);

    assertThat(PrometheusOperatorSchema.violations("ServiceMonitor", monitor))
        .containsExactly("ServiceMonitor.spec.endpoints[0].pathh is not a field of the CRD subset");
  }

  /** Returns the dotted paths of every non-empty {@code additionalProperties} under an object. */
  static List<String> unknownFields(Object root, String rootName) {
    List<String> found = new ArrayList<>();
    walk(root, rootName, found, new IdentityHashMap<>());
    return found;
  }

  private static void walk(
      Object node, String path, List<String> found, Map<Object, Boolean> visited) {
    if (node == null || visited.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        walk(element, path + "[" + i++ + "]", found, visited);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "[" + key + "]", found, visited));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (!isGetter(getter)) {
        continue;
      }
      Object value = invoke(getter, node);
      if (getter.getName().equals("getAdditionalProperties")) {
        Map<?, ?> extra = (Map<?, ?>) value;
        if (extra != null) {
          extra.keySet().forEach(key -> found.add(path + "." + key));
        }
      } else {
        walk(value, path + "." + propertyName(getter), found, visited);
      }
    }
  }

  private static boolean isGetter(Method method) {
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && method.getDeclaringClass() != Object.class
        && (method.getName().startsWith("get") || method.getName().startsWith("is"));
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Could not read " + getter + " of " + target, e);
    }
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
