package org.byov.inference.models;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * registry every {@code poll-interval} for the production version of each followed model. A new
 * version is loaded on this follower's own thread while requests continue on the old one, unless
 * a request has already loaded it as an extra version. It is then installed atomically, and the
 * old version is freed once its last request finishes.
 *
 * <p>With {@code byov.inference.registry.models=*} each poll first reads the registry's model list
 * and follows the models that have a production version, at most {@code max-models} of them (see
 * {@link FollowedModels}). A model that gets its first production version later is loaded at the
 * next poll. Models left out by {@code max-models} are named in a warning when that set changes,
 * and again at most once per {@link #SKIPPED_WARNING_INTERVAL} while it stays the same.
 *
 * <p>When the production version, or a loaded extra version, stays but its evaluation id or
 * abstain threshold changes (an on-demand evaluation was applied to it), the follower builds a
 * model that shares the served network with the new threshold and, for a linear probe model, the
 * new evaluation's probe, and swaps it in the same way. A failed load, update or poll is logged and retried at the next poll,
 * and the current version keeps serving.
 */
public class RegistryFollower implements SmartLifecycle {

  /** Name of the linear probe file in a model or evaluation report directory. */
  public static final String PROBE_FILE = "linear-probe.json";

  /** Time after which an unchanged set of models left out by max-models is logged again. */
  static final Duration SKIPPED_WARNING_INTERVAL = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);

  private final ModelProperties properties;
  private final RegistryVersionLoader versions;
  private final ModelLoader loader;
  private final ModelCatalog catalog;
  /** Serialises polls, so that a poll forced by {@link #pollAll} never overlaps a scheduled one. */
  private final Object pollLock = new Object();
  /** The models left out by {@code max-models} at the last warning, guarded by {@link #pollLock}. */
  private List<String> skippedAtWarning = List.of();
  /** {@link System#nanoTime} of the last warning about left-out models. */
  private long skippedWarningNanos;
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
    FollowedModels followed = versions.followed();
    if (followed.enabled()) {
      long interval = Math.max(1, properties.registry().pollInterval().toMillis());
      executor.scheduleWithFixedDelay(this::pollAll, 0, interval, TimeUnit.MILLISECONDS);
      String models = followed.all()
          ? "every registry model with a production version (at most " + followed.maxModels()
              + ", byov.inference.registry.max-models)"
          : String.valueOf(followed.names());
      log.info("Following the production versions of {} at {} every {}, with up to {} extra"
          + " versions loaded on demand", models, properties.registry().url(),
          properties.registry().pollInterval(), properties.registry().extraVersions());
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

  /**
   * Checks every followed model once, after updating the followed models of {@code models=*};
   * public so that tests and operators can force a check.
   */
  public void pollAll() {
    synchronized (pollLock) {
      if (versions.followed().all()) {
        updateFollowed();
      }
      for (String name : versions.followed().names()) {
        try {
          poll(name);
        } catch (Exception e) {
          log.warn("Failed to follow model {} at {}: {}", name, properties.registry().url(),
              e.toString());
        }
      }
    }
  }

  /**
   * Reads the registry's model list and updates the followed models. When the list cannot be
   * read, the models followed so far are still polled.
   */
  private void updateFollowed() {
    List<RegistryClient.RegistryModel> models;
    try {
      models = versions.models();
    } catch (RegistryClient.RegistryUnavailableException e) {
      log.warn("Failed to read the model list of the registry at {}, so the followed models {}"
          + " stay as they are until the next poll: {}", properties.registry().url(),
          versions.followed().names(), e.getMessage());
      return;
    }

    FollowedModels.Selection selection = versions.followed().select(models,
        name -> catalog.currentVersion(name).isPresent());
    for (String name : selection.added()) {
      catalog.registerFollowedModel(name);
      log.info("Following model {}, which has a production version in the registry", name);
    }
    for (String name : selection.dropped()) {
      log.info("Stopped following model {}: the registry shows no production version for it,"
          + " and none was loaded", name);
    }
    warnSkipped(selection.skipped());
  }

  /** Names the models left out by {@code max-models}, when they change or once per interval. */
  private void warnSkipped(List<String> skipped) {
    long now = System.nanoTime();
    if (skipped.isEmpty()) {
      if (!skippedAtWarning.isEmpty()) {
        log.info("Every registry model with a production version is followed again");
      }
    } else if (!skipped.equals(skippedAtWarning)
        || now - skippedWarningNanos >= SKIPPED_WARNING_INTERVAL.toNanos()) {
      FollowedModels followed = versions.followed();
      log.warn("Not serving registry models {}, which have production versions, because {} models"
          + " are followed already (byov.inference.registry.max-models={}). Raise max-models, or"
          + " list the models to serve in byov.inference.registry.models", skipped,
          followed.names().size(), followed.maxModels());
      skippedWarningNanos = now;
    }
    skippedAtWarning = skipped;
  }

  private void poll(String name) throws Exception {
    Optional<RegistryClient.RegistryVersion> production = versions.production(name);
    if (production.isEmpty()) {
      log.debug("Model {} has no production version yet", name);
    } else {
      RegistryClient.RegistryVersion version = production.get();
      Optional<ModelVersionInfo> current = catalog.currentVersion(name);
      if (current.isEmpty() || current.get().version() != version.version()) {
        catalog.promote(name, version.version(), () -> versions.load(version));
      } else if (!sameEvaluation(current.get(), version)) {
        applyEvaluation(name, version);
      }
    }
    followExtraEvaluations(name);
  }

  /**
   * Applies re-evaluations to the loaded extra versions of {@code name}, with one registry read
   * per version. A failure for one version is logged and leaves it as it is until the next poll.
   */
  private void followExtraEvaluations(String name) {
    for (ServingModel extra : catalog.acquireExtras(name)) {
      int version = extra.info().version();
      try {
        Optional<RegistryClient.RegistryVersion> described = versions.describe(name, version);
        if (described.isPresent() && !sameEvaluation(extra.info(), described.get())) {
          log.debug("Applying evaluation {} of model {} extra version {} (abstain threshold {})",
              described.get().evaluationId(), name, version, described.get().abstainThreshold());
          catalog.replaceExtra(extra, versions.reevaluate(extra, described.get()));
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Failed to apply the registry's evaluation to model {} extra version {}, which"
            + " keeps evaluation {} until the next poll: {}", name, version,
            extra.info().evaluationId(), e.getMessage());
      } finally {
        extra.release();
      }
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
