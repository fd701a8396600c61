package org.byov.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads YAML files into plain maps and lists, one entry per document. */
final class Yaml {

  private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

  private Yaml() {}

  /** Returns every non-empty document of a multi-document YAML file as a map. */
  static List<Map<String, Object>> documents(Path file) {
    return documents(Repository.read(file), file.toString());
  }

  /** Returns every non-empty document of YAML text as a map; {@code origin} names it in errors. */
  static List<Map<String, Object>> documents(String text, String origin) {
    ObjectReader reader = MAPPER.readerFor(new TypeReference<Map<String, Object>>() {});
    List<Map<String, Object>> documents = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> iterator = reader.readValues(text)) {
      while (iterator.hasNextValue()) {
        Map<String, Object> document = iterator.nextValue();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Invalid YAML in " + origin + ": " + e.getMessage(), e);
    }
    return documents;
  }

  /** Returns the single document of a YAML file. */
  static Map<String, Object> document(Path file) {
    List<Map<String, Object>> documents = documents(file);
    if (documents.size() != 1) {
      throw new IllegalArgumentException(
          file + " has " + documents.size() + " YAML documents, expected exactly one");
    }
    return documents.get(0);
  }

  /** Follows a path of map keys and list indexes; returns null where the path ends early. */
  static Object at(Object node, Object... keys) {
    Object current = node;
    for (Object key : keys) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(key);
      } else if (current instanceof List<?> list && key instanceof Integer index) {
        current = index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  /** Returns the node as a map, or an empty map when it is absent or of another type. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /** Returns the node as a list, or an empty list when it is absent or of another type. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    return node instanceof List<?> list ? (List<Object>) list : List.of();
  }
}
