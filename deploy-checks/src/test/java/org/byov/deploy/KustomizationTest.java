package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomizations of deploy/kubernetes are complete without running kustomize: every listed
 * resource and generator file exists, every patch targets an object that the kustomization
 * builds, every image override names an image in use, and no manifest file is left unlisted.
 */
class KustomizationTest {

  static Stream<Path> kustomizations() {
    return Kustomization.directoriesUnder(KubernetesManifestsTest.KUBERNETES).stream();
  }

  @Test
  void baseAndBothOverlaysExist() {
    assertThat(kustomizations().map(Repository.root()::relativize).map(Path::toString))
        .containsExactlyInAnyOrder(
            "deploy/kubernetes/base",
            "deploy/kubernetes/overlays/cpu",
            "deploy/kubernetes/overlays/gpu");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void listedResourcesExist(Path directory) {
    Kustomization kustomization = Kustomization.of(directory);

    for (Path resource : kustomization.resourcePaths()) {
      assertThat(Files.isRegularFile(resource) || Files.isRegularFile(resource.resolve("kustomization.yaml")))
          .as("%s lists %s: a manifest file or a directory with kustomization.yaml", directory, resource)
          .isTrue();
    }
    assertThat(kustomization.resourceFiles()).as("resource files of %s", directory).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void generatorFilesExist(Path directory) {
    for (Path file : Kustomization.of(directory).generatorFiles()) {
      assertThat(file).as("generator input of %s", directory).isRegularFile();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void patchesTargetExistingResources(Path directory) {
    Kustomization kustomization = Kustomization.of(directory);
    Set<String> built = builtKeys(kustomization);

    for (Kustomization.Patch patch : kustomization.patches()) {
      if (patch.file() != null) {
        assertThat(patch.file()).as("patch of %s", directory).isRegularFile();
      }
      for (String target : targetsOf(patch)) {
        assertThat(built)
            .as("%s patches %s, which %s does not build", patch.origin(), target, directory)
            .contains(target);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void imageOverridesNameImagesInUse(Path directory) {
    Kustomization kustomization = Kustomization.of(directory);
    Set<String> images =
        kustomization.resourceFiles().stream()
            .flatMap(file -> Manifest.read(file).stream())
            .flatMap(manifest -> Workloads.containers(manifest.content()).stream())
            .map(container -> String.valueOf(container.get("image")).replaceFirst(":[^/]*$", ""))
            .collect(Collectors.toSet());

    for (String name : kustomization.imageNames()) {
      assertThat(images).as("images transformer entry %s of %s", name, directory).contains(name);
    }
  }

  @Test
  void everyManifestFileIsListed() {
    Set<Path> listed = new HashSet<>();
    kustomizations()
        .map(Kustomization::of)
        .forEach(
            kustomization -> {
              listed.add(kustomization.directory().resolve(Kustomization.FILE_NAME));
              listed.addAll(kustomization.resourceFiles());
              listed.addAll(kustomization.generatorFiles());
              kustomization.patches().stream()
                  .map(Kustomization.Patch::file)
                  .filter(file -> file != null)
                  .forEach(listed::add);
            });

    assertThat(Repository.files(KubernetesManifestsTest.KUBERNETES, ".yaml", ".yml"))
        .as("files under deploy/kubernetes that no kustomization uses")
        .allMatch(listed::contains);
  }

  /** Returns "kind/name" of every object the kustomization builds, bases included. */
  private static Set<String> builtKeys(Kustomization kustomization) {
    Set<String> keys =
        kustomization.resourceFiles().stream()
            .flatMap(file -> Manifest.read(file).stream())
            .map(Manifest::key)
            .collect(Collectors.toCollection(HashSet::new));
    for (Object generator : Yaml.list(kustomization.content().get("configMapGenerator"))) {
      keys.add("ConfigMap/" + Yaml.map(generator).get("name"));
    }
    return keys;
  }

  /** Returns "kind/name" of what a patch changes: its target selector, else its own objects. */
  private static List<String> targetsOf(Kustomization.Patch patch) {
    Map<String, Object> target = patch.target();
    if (!target.isEmpty()) {
      return List.of(target.get("kind") + "/" + target.get("name"));
    }
    return Yaml.documents(patch.text(), patch.origin()).stream()
        .map(document -> new Manifest(patch.file(), 0, document).key())
        .toList();
  }
}
