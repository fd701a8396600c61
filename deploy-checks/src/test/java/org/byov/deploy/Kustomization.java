package org.byov.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kustomization.yaml and what it lists, read without kustomize: the resource files (following
 * bases and overlays down to files), the patch files with their targets, and generator inputs.
 */
record Kustomization(Path directory, Map<String, Object> content) {

  static final String FILE_NAME = "kustomization.yaml";

  /** Reads the kustomization.yaml of a directory. */
  static Kustomization of(Path directory) {
    return new Kustomization(directory, Yaml.document(directory.resolve(FILE_NAME)));
  }

  /** Returns every kustomization directory under {@code root}, sorted. */
  static List<Path> directoriesUnder(Path root) {
    return Repository.files(root, FILE_NAME).stream().map(Path::getParent).toList();
  }

  /** Returns the {@code resources} entries resolved against this directory. */
  List<Path> resourcePaths() {
    return Yaml.list(content.get("resources")).stream()
        .map(entry -> directory.resolve(String.valueOf(entry)).normalize())
        .toList();
  }

  /** Returns the patches of {@code patches} (file or inline) and of {@code patchesStrategicMerge}. */
  List<Patch> patches() {
    List<Patch> patches = new ArrayList<>();
    for (Object entry : Yaml.list(content.get("patches"))) {
      Map<String, Object> patch = Yaml.map(entry);
      Path file = patch.containsKey("path") ? directory.resolve((String) patch.get("path")) : null;
      String inline = (String) patch.get("patch");
      patches.add(new Patch(file, inline, Yaml.map(patch.get("target"))));
    }
    for (Object entry : Yaml.list(content.get("patchesStrategicMerge"))) {
      patches.add(new Patch(directory.resolve(String.valueOf(entry)), null, Map.of()));
    }
    return patches;
  }

  /** Returns the files that {@code configMapGenerator} and {@code secretGenerator} read. */
  List<Path> generatorFiles() {
    List<Path> files = new ArrayList<>();
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      for (Object entry : Yaml.list(content.get(generator))) {
        for (Object file : Yaml.list(Yaml.map(entry).get("files"))) {
          String spec = String.valueOf(file);
          // "key=path" stores the file under another key.
          files.add(directory.resolve(spec.substring(spec.indexOf('=') + 1)));
        }
        for (Object file : Yaml.list(Yaml.map(entry).get("envs"))) {
          files.add(directory.resolve(String.valueOf(file)));
        }
      }
    }
    return files;
  }

  /** Returns the image names of the {@code images} transformer. */
  List<String> imageNames() {
    return Yaml.list(content.get("images")).stream()
        .map(entry -> String.valueOf(Yaml.map(entry).get("name")))
        .toList();
  }

  /**
   * Returns every resource file this kustomization builds from, following directory entries into
   * their own kustomizations. A missing path raises an error that names it.
   */
  Set<Path> resourceFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Path path : resourcePaths()) {
      if (Files.isDirectory(path)) {
        if (!Files.isRegularFile(path.resolve(FILE_NAME))) {
          throw new IllegalStateException(
              directory.resolve(FILE_NAME) + " lists directory " + path + " without " + FILE_NAME);
        }
        files.addAll(of(path).resourceFiles());
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        throw new IllegalStateException(
            directory.resolve(FILE_NAME) + " lists resource " + path + ", which does not exist");
      }
    }
    return files;
  }

  /** A strategic-merge or JSON patch: a file or inline text, and an optional target selector. */
  record Patch(Path file, String inline, Map<String, Object> target) {

    /** Returns the patch text. */
    String text() {
      return file != null ? Repository.read(file) : inline;
    }

    /** Returns where the patch comes from, for messages. */
    String origin() {
      return file != null ? file.toString() : "inline patch";
    }
  }
}
