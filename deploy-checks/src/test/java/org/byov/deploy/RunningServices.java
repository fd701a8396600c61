package org.byov.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byov.testing.TestPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four BYOV services, started once per test JVM in this process on random ports against a
 * fresh TestPostgres database, configured through the same variables that the deployment files
 * set. A service that is not ready in this build (no configuration file yet, or a failed start) is
 * recorded with the reason instead, so that the checks can name it.
 *
 * <p>The services share one class path here, unlike in their images. Each service therefore
 * loads only its own application*.yml, and the auto-configurations of the JDBC, Flyway and Batch
 * starters are excluded for a service whose pom does not declare that starter.
 */
final class RunningServices {

  /** Bearer tokens the services accept in this test; none of them is a deployed secret. */
  static final String PROMETHEUS_TOKEN = "test-prometheus-token";
  static final String WORKER_TOKEN = "test-worker-token";
  static final String INFERENCE_TOKEN = "test-inference-token";
  static final String TOKEN_LIST =
      "prometheus:" + PROMETHEUS_TOKEN + ":metrics,worker:" + WORKER_TOKEN + ":worker,inference:"
          + INFERENCE_TOKEN + ":inference";

  /** Starters whose auto-configurations a service without them must not load, by jar prefix. */
  private static final Map<String, List<String>> STARTER_JARS =
      Map.of(
          "spring-boot-starter-jdbc", List.of("spring-boot-jdbc-"),
          "spring-boot-starter-flyway", List.of("spring-boot-flyway-"),
          "spring-boot-starter-batch-jdbc", List.of("spring-boot-batch-", "spring-boot-batch-jdbc-"));

  private static final Logger log = LoggerFactory.getLogger(RunningServices.class);
  private static RunningServices instance;

  /** A service that runs, with its port, or one that does not, with the reason. */
  record Service(ServiceModule module, ConfigurableApplicationContext context, int port, String problem) {
    boolean running() {
      return context != null;
    }

    String baseUrl() {
      return "http://127.0.0.1:" + port;
    }
  }

  private final Map<ServiceModule, Service> services = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningServices() {}

  /** Returns the services of this JVM, starting them on the first call. */
  static synchronized RunningServices get() {
    if (instance == null) {
      instance = new RunningServices();
      instance.startAll();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stopAll));
    }
    return instance;
  }

  Service service(ServiceModule module) {
    return services.get(module);
  }

  List<Service> running() {
    return services.values().stream().filter(Service::running).toList();
  }

  /** Returns the text of a service's /actuator/prometheus, read with the Prometheus token. */
  HttpResponse<String> scrape(Service service) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/prometheus"))
            .header("Authorization", "Bearer " + PROMETHEUS_TOKEN)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not scrape " + service.module(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while scraping " + service.module(), e);
    }
  }

  private void startAll() {
    TestPostgres.Database database = TestPostgres.newDatabase("deploy_services");
    Path artifacts = temporaryDirectory("byov-deploy-artifacts");
    String orchestratorUrl = "http://127.0.0.1:1";
    for (ServiceModule module : ServiceModule.values()) {
      Service service = start(module, database, artifacts, orchestratorUrl);
      services.put(module, service);
      if (module == ServiceModule.ORCHESTRATOR && service.running()) {
        orchestratorUrl = service.baseUrl();
      }
    }
  }

  private Service start(
      ServiceModule module, TestPostgres.Database database, Path artifacts, String orchestratorUrl) {
    Map<String, String> yamlFiles = ServiceSettings.applicationYamlFiles(module);
    if (!yamlFiles.containsKey(module.configName + ".yml")) {
      return new Service(module, null, 0, "no " + module.configName + ".yml in this build yet");
    }
    List<String> arguments = new ArrayList<>();
    // Only the module's own configuration, although every module's is on the class path.
    arguments.add("--spring.config.name=" + module.configName);
    arguments.add("--spring.config.location=optional:file:" + ServiceSettings.outputOf(module) + "/");
    arguments.add("--server.port=0");
    arguments.add("--spring.main.banner-mode=off");
    // The same variables as docker-compose.yml, pointed at this test's database and ports.
    arguments.add("--BYOV_DB_URL=" + database.url());
    arguments.add("--BYOV_DB_USER=" + database.user());
    arguments.add("--BYOV_DB_PASSWORD=" + database.password());
    arguments.add("--BYOV_TOKENS=" + TOKEN_LIST);
    if (module == ServiceModule.INFERENCE_API) {
      // The inference-api reads byov.security.tokens[i], as docker-compose.yml sets them.
      arguments.add("--byov.security.tokens[0].name=prometheus");
      arguments.add("--byov.security.tokens[0].token=" + PROMETHEUS_TOKEN);
      arguments.add("--byov.security.tokens[0].roles=metrics");
    }
    arguments.add("--BYOV_WORKER_TOKEN=" + WORKER_TOKEN);
    arguments.add("--BYOV_INFERENCE_TOKEN=" + INFERENCE_TOKEN);
    arguments.add("--BYOV_ORCHESTRATOR_URL=" + orchestratorUrl);
    arguments.add("--BYOV_ARTIFACTS_ROOT=" + artifacts);
    arguments.add("--BYOV_DEVICE=cpu");
    arguments.add("--BYOV_THREADS=1");
    List<String> excluded = excludedAutoConfigurations(module);
    if (!excluded.isEmpty()) {
      arguments.add("--spring.autoconfigure.exclude=" + String.join(",", excluded));
    }
    try {
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(module.application())
              .web(WebApplicationType.SERVLET)
              .run(arguments.toArray(String[]::new));
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
      log.info("Started {} for the deployment checks on port {}", module, port);
      return new Service(module, context, port, null);
    } catch (RuntimeException e) {
      log.warn("{} failed to start for the deployment checks: {}", module, e.toString(), e);
      return new Service(module, null, 0, "failed to start: " + rootMessage(e));
    }
  }

  /** Returns the auto-configurations of starters that the module's pom does not declare. */
  static List<String> excludedAutoConfigurations(ServiceModule module) {
    String pom = Repository.read(Repository.path(module.directory + "/pom.xml"));
    List<String> excluded = new ArrayList<>();
    STARTER_JARS.forEach((starter, jarPrefixes) -> {
      if (!pom.contains("<artifactId>" + starter + "</artifactId>")) {
        for (String prefix : jarPrefixes) {
          excluded.addAll(autoConfigurationsOfJar(prefix));
        }
      }
    });
    return excluded;
  }

  private static List<String> autoConfigurationsOfJar(String jarPrefix) {
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> imports =
          RunningServices.class.getClassLoader()
              .getResources("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
      while (imports.hasMoreElements()) {
        URL url = imports.nextElement();
        String jar = url.getPath().replaceFirst("!/META-INF/.*$", "");
        if (!jar.substring(jar.lastIndexOf('/') + 1).matches(java.util.regex.Pattern.quote(jarPrefix) + "\\d.*")) {
          continue;
        }
        try (InputStream in = url.openStream()) {
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .forEach(names::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read auto-configuration imports", e);
    }
    return names;
  }

  private void stopAll() {
    List<Service> started = new ArrayList<>(running());
    java.util.Collections.reverse(started);
    for (Service service : started) {
      service.context().close();
    }
  }

  private static Path temporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary directory", e);
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
