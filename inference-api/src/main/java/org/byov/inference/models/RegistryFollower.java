package org.byov.inference.models;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the models this service serves and follows promotions. At start it loads the local model
 * directory ({@code byov.inference.model-dir}), if any, and then polls the registry every {@code
 * poll-interval} for the production version of each configured model. A new version is loaded on
 * this follower's own thread while requests continue on the old one. It is then installed
 * atomically, and the old version is freed once its last request finishes. A failed load or poll
 * is logged and retried at the next poll, and the current version keeps serving.
 */
public class RegistryFollower implements SmartLifecycle {

  /** Name of the linear probe file in a model or evaluation report directory. */
  public static final String PROBE_FILE = "linear-probe.json";

  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);

  private final ModelProperties properties;
  private final RegistryClient registry;
  private final ModelLoader loader;
  private final ModelCatalog catalog;
  private ScheduledExecutorService executor;

  public RegistryFollower(ModelProperties properties, RegistryClient registry, ModelLoader loader,
      ModelCatalog catalog) {
    this.properties = properties;
    this.registry = registry;
    this.loader = loader;
    this.catalog = catalog;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "byov-model-follower");
      thread.setDaemon(true);
      return thread;
    });
    if (properties.modelDir() != null) {
      executor.execute(this::loadLocal);
    }
    if (!properties.registry().models().isEmpty()) {
      long interval = Math.max(1, properties.registry().pollInterval().toMillis());
      executor.scheduleWithFixedDelay(this::pollAll, 0, interval, TimeUnit.MILLISECONDS);
      log.info("Following the production versions of {} at {} every {}",
          properties.registry().models(), properties.registry().url(),
          properties.registry().pollInterval());
    }
  }

  private void loadLocal() {
    Path directory = properties.modelDir();
    ModelVersionInfo info = new ModelVersionInfo(properties.modelName(), 0,
        directory.toUri().toString(), properties.abstainThreshold());
    try {
      catalog.install(loader.load(new ModelSource(info, directory, null,
          existing(directory.resolve(PROBE_FILE)))));
    } catch (Exception e) {
      log.error("Failed to load the local model directory {} (byov.inference.model-dir)",
          directory, e);
    }
  }

  /** Checks every followed model once; public so that tests and operators can force a check. */
  public void pollAll() {
    for (String name : properties.registry().models()) {
      try {
        poll(name);
      } catch (Exception e) {
        log.warn("Failed to follow model {} at {}: {}", name, properties.registry().url(),
            e.toString());
      }
    }
  }

  private void poll(String name) throws Exception {
    Optional<RegistryClient.RegistryVersion> production = registry.production(name);
    if (production.isEmpty()) {
      log.debug("Model {} has no production version yet", name);
      return;
    }
    RegistryClient.RegistryVersion version = production.get();
    Optional<ModelVersionInfo> current = catalog.currentVersion(name);
    if (current.isPresent() && current.get().version() == version.version()) {
      return;
    }

    Path directory = resolve(version.artifactUri());
    log.info("Loading model {} version {} from {}", name, version.version(), directory);
    ModelVersionInfo info = new ModelVersionInfo(name, version.version(), version.artifactUri(),
        version.abstainThreshold());
    InputContract contract = version.inputContract() == null
        ? null : version.inputContract().toContract();
    catalog.install(loader.load(new ModelSource(info, directory, contract,
        probeFile(directory, version))));
  }

  private Path probeFile(Path directory, RegistryClient.RegistryVersion version) {
    Path inModel = existing(directory.resolve(PROBE_FILE));
    if (inModel != null || version.evaluationId() == null) {
      return inModel;
    }
    return existing(properties.registry().artifactsRoot().resolve("evaluations")
        .resolve(version.evaluationId().toString()).resolve("report").resolve(PROBE_FILE));
  }

  private static Path existing(Path file) {
    return Files.isRegularFile(file) ? file : null;
  }

  /**
   * Resolves an artifact URI: {@code file:} URIs and absolute paths as they are, relative paths
   * against the artifacts root.
   */
  Path resolve(String artifactUri) {
    if (artifactUri.startsWith("file:")) {
      return Path.of(URI.create(artifactUri));
    }
    if (artifactUri.contains("://")) {
      throw new IllegalArgumentException("Unsupported artifact URI " + artifactUri
          + "; the inference API reads file: URIs and paths under BYOV_ARTIFACTS_ROOT");
    }
    Path path = Path.of(artifactUri);
    return path.isAbsolute() ? path : properties.registry().artifactsRoot().resolve(path);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
