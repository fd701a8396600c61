package org.byov.deploy;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one service reads from its environment: the {@code ${VARIABLE}} placeholders of its
 * application*.yml (trainer-worker*.yml for the worker), {@code @Value} and {@code System.getenv} in its sources, and every property
 * that Spring Boot binds from environment variables by relaxed binding (Spring Boot's own
 * configuration metadata, the keys of its application*.yml, and its
 * {@code @ConfigurationProperties} classes, platform-common's included).
 *
 * <p>Property names are compared in Spring's canonical form: lower case, without dashes, with
 * {@code [*]} for a list index and a trailing {@code .*} under a map.
 */
final class ServiceSettings {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)[:}]");
  private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z0-9_]+)\"\\)");
  private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Set<String> SPRING_PROPERTIES = springBootProperties();

  final ServiceModule module;
  /** Environment variables the service reads by name. */
  final Set<String> variables = new TreeSet<>();
  /** Canonical property names the service binds, own and Spring Boot's. */
  final Set<String> properties = new TreeSet<>();
  /** Profiles with a {configName}-{profile}.yml or a {@code @Profile} in the sources. */
  final Set<String> profiles = new TreeSet<>();
  /** Whether the module has its {configName}.yml yet. */
  final boolean configured;

  private ServiceSettings(ServiceModule module) {
    this.module = module;
    Map<String, String> yamlFiles = applicationYamlFiles(module);
    this.configured = yamlFiles.containsKey(module.configName + ".yml");
    yamlFiles.forEach((name, text) -> readYaml(name, text));
    readSources(Repository.path(module.directory + "/src/main/java"));
    readSources(Repository.path("platform-common/src/main/java"));
    scanConfigurationProperties(module.javaPackage);
    scanConfigurationProperties(ServiceModule.COMMON_PACKAGE);
    properties.addAll(SPRING_PROPERTIES);
  }

  static ServiceSettings of(ServiceModule module) {
    return new ServiceSettings(module);
  }

  /** Returns whether the service reads the environment variable, by name or relaxed binding. */
  boolean readsVariable(String name) {
    return variables.contains(name) || bindsProperty(canonicalOfVariable(name));
  }

  /** Returns whether a canonical property name binds to something the service has. */
  boolean bindsProperty(String canonical) {
    if (properties.contains(canonical)) {
      return true;
    }
    for (String property : properties) {
      if (property.endsWith(".*")
          && canonical.startsWith(property.substring(0, property.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  /** Returns Spring's canonical form of a property name: lower case, no dashes, [*] indexes. */
  static String canonical(String property) {
    return property.toLowerCase(Locale.ROOT).replace("-", "").replaceAll("\\[\\d+]", "[*]");
  }

  /**
   * Returns the canonical property an environment variable binds to: lower case, underscores as
   * dots, numeric segments as list indexes (Spring Boot's SystemEnvironmentPropertyMapper).
   */
  static String canonicalOfVariable(String name) {
    StringBuilder property = new StringBuilder();
    for (String part : name.toLowerCase(Locale.ROOT).split("_")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        property.append("[*]");
      } else {
        property.append(property.length() == 0 ? "" : ".").append(part);
      }
    }
    return property.toString();
  }

  /** Returns the flattened canonical keys of a YAML document. */
  static List<String> flattenedKeys(Object node, String prefix) {
    List<String> keys = new ArrayList<>();
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) ->
          keys.addAll(flattenedKeys(value, prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key)));
    } else if (node instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
      for (Object element : list) {
        keys.addAll(flattenedKeys(element, prefix + "[*]"));
      }
    } else {
      keys.add(canonical(prefix));
    }
    return keys;
  }

  private void readYaml(String fileName, String text) {
    Matcher placeholder = PLACEHOLDER.matcher(text);
    while (placeholder.find()) {
      String name = placeholder.group(1);
      if (ENVIRONMENT_NAME.matcher(name).matches()) {
        variables.add(name);
      }
    }
    if (fileName.startsWith(module.configName + "-")) {
      profiles.add(fileName.substring(module.configName.length() + 1, fileName.lastIndexOf('.')));
    }
    for (Map<String, Object> document : Yaml.documents(text, module + "/" + fileName)) {
      properties.addAll(flattenedKeys(document, ""));
    }
  }

  private void readSources(Path sources) {
    if (!Files.isDirectory(sources)) {
      return;
    }
    for (Path file : Repository.files(sources, ".java")) {
      String text = Repository.read(file);
      Matcher placeholder = PLACEHOLDER.matcher(text);
      while (placeholder.find()) {
        String name = placeholder.group(1);
        if (ENVIRONMENT_NAME.matcher(name).matches()) {
          variables.add(name);
        } else {
          properties.add(canonical(name));
        }
      }
      Matcher getenv = GETENV.matcher(text);
      while (getenv.find()) {
        variables.add(getenv.group(1));
      }
      Matcher profile = Pattern.compile("@Profile\\(\"!?([A-Za-z0-9-]+)\"\\)").matcher(text);
      while (profile.find()) {
        profiles.add(profile.group(1));
      }
    }
  }

  private void scanConfigurationProperties(String basePackage) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
      Class<?> type = load(candidate.getBeanClassName());
      ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
      String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
      addProperties(canonical(prefix), type, 0);
    }
  }

  private void addProperties(String path, Type type, int depth) {
    Class<?> raw = rawClass(type);
    if (Map.class.isAssignableFrom(raw)) {
      properties.add(path);
      properties.add(path + ".*");
      return;
    }
    if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
      properties.add(path);
      Type element = raw.isArray() ? raw.getComponentType() : typeArgument(type, 0);
      addProperties(path + "[*]", element, depth + 1);
      return;
    }
    properties.add(path);
    if (depth > 8 || isLeaf(raw)) {
      return;
    }
    if (raw.isRecord()) {
      for (RecordComponent component : raw.getRecordComponents()) {
        addProperties(path + "." + canonical(component.getName()), component.getGenericType(), depth + 1);
      }
      return;
    }
    for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(raw)) {
      if (descriptor.getReadMethod() != null && !descriptor.getName().equals("class")) {
        addProperties(
            path + "." + canonical(descriptor.getName()),
            descriptor.getReadMethod().getGenericReturnType(),
            depth + 1);
      }
    }
  }

  /** Returns whether a type binds from one value: everything but BYOV's own classes and records. */
  private static boolean isLeaf(Class<?> type) {
    return type.isPrimitive() || type.isEnum() || !type.getName().startsWith("org.byov.");
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> plain) {
      return plain;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    return Object.class;
  }

  private static Type typeArgument(Type type, int index) {
    return type instanceof ParameterizedType parameterized
        ? parameterized.getActualTypeArguments()[index]
        : Object.class;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Could not load " + name, e);
    }
  }

  /** Returns {configName}.yml and {configName}-*.yml of the module's own output, by file name. */
  static Map<String, String> applicationYamlFiles(ServiceModule module) {
    Map<String, String> files = new LinkedHashMap<>();
    Path classes = outputOf(module);
    if (classes == null || !Files.isDirectory(classes)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(classes)) {
      for (Path file : entries.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.matches(Pattern.quote(module.configName) + "(-[A-Za-z0-9-]+)?\\.ya?ml")) {
          files.put(name, Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + classes, e);
    }
    return files;
  }

  /** Returns the class output directory of the module on the test class path. */
  static Path outputOf(ServiceModule module) {
    try {
      URL location = module.application().getProtectionDomain().getCodeSource().getLocation();
      Path path = Path.of(location.toURI());
      // In a reactor `mvn verify` a dependency is the module's packaged jar; its classes directory
      // sits beside it and contains the same files.
      Path classes = path.resolveSibling("classes");
      if (Files.isRegularFile(path) && Files.isDirectory(classes)) {
        return classes;
      }
      return path;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Invalid class path entry of " + module, e);
    }
  }

  private static Set<String> springBootProperties() {
    Set<String> names = new TreeSet<>();
    JsonMapper mapper = JsonMapper.builder().build();
    try {
      Enumeration<URL> resources =
          ServiceSettings.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
      while (resources.hasMoreElements()) {
        try (InputStream in = resources.nextElement().openStream()) {
          JsonNode metadata = mapper.readTree(in);
          for (JsonNode property : metadata.path("properties")) {
            String name = canonical(property.path("name").asString());
            String type = property.path("type").asString("");
            names.add(name);
            if (type.startsWith("java.util.Map")) {
              names.add(name + ".*");
            }
            if (type.startsWith("java.util.List") || type.endsWith("[]")) {
              names.add(name + "[*]");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read Spring Boot's configuration metadata", e);
    }
    return names;
  }
}
