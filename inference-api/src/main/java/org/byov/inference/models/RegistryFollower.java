package org.byov.inference.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.byov.inference.web.InferenceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the models this service serves and follows promotions and re-evaluations. At start it
 * loads the local model directory ({@code byov.inference.model-dir}), if any, and then polls the
 * registry every {@code poll-interval} for the production version of each configured model. A new
 * version is loaded on this follower's own thread while requests continue on the old one, unless
 * a request has already loaded it as an extra version. It is then installed atomically, and the
 * old version is freed once its last request finishes.
 *
 * <p>When the production version stays but its evaluation id or abstain threshold changes (an
 * on-demand evaluation was applied to it), the follower builds a model that shares the served
 * network with the new threshold and, for a linear probe model, the new evaluation's probe, and
 * swaps it in the same way. A failed load, update or poll is logged and retried at the next poll,
 * and the current version keeps serving.
 */
public class RegistryFollower implements SmartLifecycle {

  /** Name of the linear probe file in a model or evaluation report directory. */
  public static final String PROBE_FILE = "linear-probe.json";

  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);

  private final ModelProperties properties;
  private final RegistryVersionLoader versions;
  private final ModelLoader loader;
  private final ModelCatalog catalog;
  private ScheduledExecutorService executor;

  public RegistryFollower(ModelProperties properties, RegistryVersionLoader versions,
      ModelLoader loader, ModelCatalog catalog) {
    this.properties = properties;
    this.versions = versions;
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
      log.info("Following the production versions of {} at {} every {}, with up to {} extra"
          + " versions loaded on demand", properties.registry().models(),
          properties.registry().url(), properties.registry().pollInterval(),
          properties.registry().extraVersions());
    }
  }

  private void loadLocal() {
    Path directory = properties.modelDir();
    ModelVersionInfo info = new ModelVersionInfo(properties.modelName(), 0,
        directory.toUri().toString(), properties.abstainThreshold());
    try {
      catalog.install(loader.load(new ModelSource(info, directory, null,
          RegistryVersionLoader.existing(directory.resolve(PROBE_FILE)))));
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
    Optional<RegistryClient.RegistryVersion> production = versions.production(name);
    if (production.isEmpty()) {
      log.debug("Model {} has no production version yet", name);
      return;
    }
    RegistryClient.RegistryVersion version = production.get();
    Optional<ModelVersionInfo> current = catalog.currentVersion(name);
    if (current.isEmpty() || current.get().version() != version.version()) {
      catalog.promote(name, version.version(), () -> versions.load(version));
    } else if (!sameEvaluation(current.get(), version)) {
      applyEvaluation(name, version);
    }
  }

  private static boolean sameEvaluation(ModelVersionInfo served,
      RegistryClient.RegistryVersion version) {
    return Objects.equals(served.evaluationId(), version.evaluationId())
        && Objects.equals(served.abstainThreshold(), version.abstainThreshold());
  }

  /** Swaps the production version for a copy with the evaluation that the registry now shows. */
  private void applyEvaluation(String name, RegistryClient.RegistryVersion version)
      throws IOException {
    ServingModel served;
    try {
      served = catalog.acquire(name, null);
    } catch (InferenceProblem e) {
      // Retired between the check and here, so the next poll reads its successor.
      return;
    }
    try {
      if (served.info().version() != version.version()) {
        return;
      }
      log.debug("Applying evaluation {} of model {} version {} (abstain threshold {})",
          version.evaluationId(), name, version.version(), version.abstainThreshold());
      catalog.replace(served, versions.reevaluate(served, version));
    } finally {
      served.release();
    }
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
