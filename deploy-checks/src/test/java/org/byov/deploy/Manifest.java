package org.byov.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Kubernetes object of a manifest file, as a plain map, with where it came from. */
record Manifest(Path file, int index, Map<String, Object> content) {

  /** Returns every object of a multi-document manifest file. */
  static List<Manifest> read(Path file) {
    List<Manifest> manifests = new ArrayList<>();
    List<Map<String, Object>> documents = Yaml.documents(file);
    for (int i = 0; i < documents.size(); i++) {
      manifests.add(new Manifest(file, i, documents.get(i)));
    }
    return manifests;
  }

  String apiVersion() {
    return String.valueOf(content.get("apiVersion"));
  }

  String kind() {
    return String.valueOf(content.get("kind"));
  }

  String name() {
    return String.valueOf(Yaml.at(content, "metadata", "name"));
  }

  /** Returns "kind/name", the key kustomize matches patches by. */
  String key() {
    return kind() + "/" + name();
  }

  @Override
  public String toString() {
    return key() + " (" + Repository.root().relativize(file) + " document " + (index + 1) + ")";
  }
}
