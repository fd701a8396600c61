package org.byov.inference.models;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.byov.inference.web.InferenceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The served versions of each model name: one production version per name, and for registry
 * models a bounded set of extra versions that requests naming another version load on demand.
 *
 * <p>{@link #install} switches a name's production version atomically; requests that already hold
 * the old version finish on it, and the old version is freed when the last of them releases it.
 * Extra versions are kept in least recently used order, at most {@code
 * byov.inference.registry.extra-versions} loaded over all names; the catalog releases an evicted
 * version's reference, and its arrays are freed once the last request holding it releases it too.
 * Concurrent first requests for the same version wait on one load. When the registry follower
 * promotes a version that is already loaded or loading as an extra version, that model becomes
 * the production version without a second load. {@link #replace} applies a re-evaluation of the
 * production version in the same way as {@link #install}.
 */
@Component
public class ModelCatalog implements AutoCloseable {

  /** Retry-After, in seconds, of a 503 for a model that is not loaded yet or a registry error. */
  static final long RETRY_AFTER_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

  private final Map<String, AtomicReference<ServingModel>> current = new ConcurrentHashMap<>();
  private final MeterRegistry meterRegistry;
  private final RegistryVersionLoader registry;
  /** Guards {@link #extras} and orders production changes against on-demand loads. */
  private final Object lock = new Object();
  private final ExtraVersions extras;

  public ModelCatalog(MeterRegistry meterRegistry, RegistryVersionLoader registry) {
    this.meterRegistry = meterRegistry;
    this.registry = registry;
    this.extras = new ExtraVersions(registry.extraVersions());
    for (String name : registry.followed().names()) {
      registerFollowedModel(name);
    }
  }

  /**
   * Registers the metrics of a registry model that is followed from now on. The listed models are
   * registered at construction, and the follower registers each model that {@code models=*} adds.
   * Registering a name again has no effect.
   */
  public void registerFollowedModel(String name) {
    Gauge.builder("byov.inference.model.extra.versions", this,
            catalog -> catalog.extraCount(name))
        .description("Non-production versions of the model loaded on demand")
        .tag("model", name)
        .register(meterRegistry);
  }

  /** Makes {@code model} the production version of its name and retires the previous one. */
  public void install(ServingModel model) {
    ServingModel previous;
    synchronized (lock) {
      previous = swapProduction(model);
    }
    retire(previous);
  }

  /** Puts {@code model} in its name's production slot and returns the previous model, or null. */
  private ServingModel swapProduction(ServingModel model) {
    String name = model.info().name();
    AtomicReference<ServingModel> slot = current.computeIfAbsent(name, key -> {
      AtomicReference<ServingModel> created = new AtomicReference<>();
      Gauge.builder("byov.inference.model.loaded", created, ref -> ref.get() == null ? 0 : 1)
          .description("1 while a version of the model is loaded")
          .tag("model", key)
          .register(meterRegistry);
      return created;
    });
    ServingModel previous = slot.getAndSet(model);
    log.info("Serving model {} version {} from {}", name, model.info().version(),
        model.info().artifactUri());
    return previous;
  }

  /** Releases the catalog's reference on a former production version, if any. */
  private static void retire(ServingModel previous) {
    if (previous != null) {
      previous.release();
      log.info("Retired model {} version {}", previous.info().name(), previous.info().version());
    }
  }

  /**
   * Makes {@code version} the production version of {@code name}. An extra version that is
   * loaded or loading is installed as it is; otherwise {@code load} loads it on the calling
   * thread, and requests for that version wait for this load instead of starting their own.
   *
   * @param load loads the version; the catalog owns the returned model
   * @throws Exception the failure of the load, which leaves the current version serving
   */
  public void promote(String name, int version, Callable<ServingModel> load) throws Exception {
    ExtraVersions.Key key = new ExtraVersions.Key(name, version);
    ExtraVersions.Entry entry;
    boolean loadHere;
    synchronized (lock) {
      if (currentVersion(name).map(info -> info.version() == version).orElse(false)) {
        return;
      }
      entry = extras.use(key);
      loadHere = entry == null;
      if (loadHere) {
        entry = extras.start(key);
      }
      entry.promoting = true;
    }

    if (loadHere) {
      ServingModel loaded;
      try {
        loaded = load.call();
      } catch (Exception | Error e) {
        fail(entry, e);
        throw e;
      }
      complete(entry, loaded);
    } else {
      log.info("Promoting model {} version {} from the extra versions without loading it again",
          name, version);
    }
    ServingModel model = await(entry);

    ServingModel previous;
    synchronized (lock) {
      extras.remove(entry);
      previous = swapProduction(model);
    }
    retire(previous);
  }

  /**
   * Makes {@code replacement} the production version of its name if {@code expected} still is,
   * and retires {@code expected}. The follower uses it to apply a re-evaluation of the production
   * version: requests that hold {@code expected} finish on it, and new requests get {@code
   * replacement}. The catalog owns {@code replacement} either way, and releases it at once when
   * the production version has changed since {@code expected} was read.
   *
   * @return whether {@code replacement} is now the production version
   */
  public boolean replace(ServingModel expected, ServingModel replacement) {
    String name = expected.info().name();
    boolean replaced;
    synchronized (lock) {
      AtomicReference<ServingModel> slot = current.get(name);
      replaced = slot != null && slot.compareAndSet(expected, replacement);
    }
    if (!replaced) {
      replacement.release();
      log.info("Did not apply evaluation {} to model {} version {}, because the production"
          + " version changed meanwhile", replacement.info().evaluationId(), name,
          replacement.info().version());
      return false;
    }
    log.info("Serving model {} version {} with evaluation {} (abstain threshold {}) in place of"
        + " evaluation {} (abstain threshold {})", name, replacement.info().version(),
        replacement.info().evaluationId(), replacement.info().abstainThreshold(),
        expected.info().evaluationId(), expected.info().abstainThreshold());
    expected.release();
    return true;
  }

  /**
   * Takes a reference on a version of {@code name}. Release it with {@link
   * ServingModel#release()}.
   *
   * @param version the version the request names, or null for the production version. Another
   *     version of a registry model is loaded on demand.
   * @throws InferenceProblem 404 for an unknown model or version, or a version that cannot be
   *     loaded on demand; 503 while the model is not loaded yet, when the registry cannot be read
   *     or when the version's artifact fails to load
   */
  public ServingModel acquire(String name, Integer version) {
    if (version == null) {
      return acquireProduction(name);
    }
    ServingModel production = acquireIfProduction(name, version);
    if (production != null) {
      return production;
    }
    return acquireExtra(name, version);
  }

  private ServingModel acquireProduction(String name) {
    AtomicReference<ServingModel> slot = current.get(name);
    if (slot == null && registry.follows(name)) {
      throw InferenceProblem.unavailable("Model '" + name + "' has no production version loaded"
          + " yet; it is loaded once the registry has one", RETRY_AFTER_SECONDS);
    }
    if (slot == null) {
      throw notServed(name);
    }
    while (true) {
      ServingModel model = slot.get();
      if (model == null) {
        throw InferenceProblem.unavailable("Model '" + name + "' is not loaded yet",
            RETRY_AFTER_SECONDS);
      }
      if (model.tryAcquire()) {
        return model;
      }
      // The version was retired between get and acquire: the slot already contains its successor.
    }
  }

  /** Takes a reference on the production version if it is {@code version}; null otherwise. */
  private ServingModel acquireIfProduction(String name, int version) {
    AtomicReference<ServingModel> slot = current.get(name);
    while (true) {
      ServingModel model = slot == null ? null : slot.get();
      if (model == null || model.info().version() != version) {
        return null;
      }
      if (model.tryAcquire()) {
        return model;
      }
    }
  }

  /**
   * Takes a reference on each loaded extra version of {@code name}, for the follower to check
   * their evaluations. The caller releases each.
   */
  public List<ServingModel> acquireExtras(String name) {
    List<ServingModel> acquired = new ArrayList<>();
    synchronized (lock) {
      for (ServingModel model : extras.loadedModels(name)) {
        if (model.tryAcquire()) {
          acquired.add(model);
        }
      }
    }
    return acquired;
  }

  /**
   * Makes {@code replacement} the model of its extra version if {@code expected} still is, as
   * {@link #replace} does for the production version. The catalog owns {@code replacement}
   * either way, and releases it at once when the version was evicted or promoted meanwhile.
   *
   * @return whether {@code replacement} now serves the version
   */
  public boolean replaceExtra(ServingModel expected, ServingModel replacement) {
    boolean replaced;
    synchronized (lock) {
      replaced = extras.swap(expected, replacement);
    }
    String name = expected.info().name();
    if (!replaced) {
      replacement.release();
      log.info("Did not apply evaluation {} to extra version {} of model {}, because it was"
          + " unloaded or promoted meanwhile", replacement.info().evaluationId(),
          replacement.info().version(), name);
      return false;
    }
    log.info("Serving extra version {} of model {} with evaluation {} (abstain threshold {}) in"
        + " place of evaluation {} (abstain threshold {})", replacement.info().version(), name,
        replacement.info().evaluationId(), replacement.info().abstainThreshold(),
        expected.info().evaluationId(), expected.info().abstainThreshold());
    expected.release();
    return true;
  }

  private ServingModel acquireExtra(String name, int version) {
    checkOnDemand(name, version);
    ExtraVersions.Key key = new ExtraVersions.Key(name, version);
    while (true) {
      ExtraVersions.Entry entry;
      boolean loadHere = false;
      synchronized (lock) {
        // A promotion installs under this lock, so the version is either production or an entry.
        ServingModel production = acquireIfProduction(name, version);
        if (production != null) {
          return production;
        }
        entry = extras.use(key);
        if (entry == null) {
          entry = extras.start(key);
          loadHere = true;
        }
      }
      if (loadHere) {
        loadExtra(entry);
      }
      ServingModel model = await(entry);
      if (model.tryAcquire()) {
        return model;
      }
      // Evicted and freed between its load and this request, which therefore loads it again.
    }
  }

  /** Loads an extra version from the registry, then evicts the least recently used ones. */
  private void loadExtra(ExtraVersions.Entry entry) {
    String name = entry.key.name();
    int version = entry.key.version();
    ServingModel model;
    try {
      model = loadFromRegistry(name, version);
    } catch (RuntimeException | Error e) {
      // The entry carries the failure to this request and to every request waiting on it.
      fail(entry, e);
      return;
    }
    complete(entry, model);

    List<ServingModel> evicted;
    int loaded;
    synchronized (lock) {
      extras.use(entry.key);
      evicted = extras.evictOverCapacity();
      loaded = extras.loadedCount();
    }
    log.info("Loaded model {} version {} on demand; {} of at most {} extra versions are loaded",
        name, version, loaded, extras.capacity());
    for (ServingModel unloaded : evicted) {
      unloaded.release();
      log.info("Unloaded extra version {} of model {}, the least recently used",
          unloaded.info().version(), unloaded.info().name());
    }
  }

  private void complete(ExtraVersions.Entry entry, ServingModel model) {
    synchronized (lock) {
      entry.model.complete(model);
    }
  }

  /** Removes a failed load, so that a later request tries again, and hands its failure on. */
  private void fail(ExtraVersions.Entry entry, Throwable failure) {
    synchronized (lock) {
      extras.remove(entry);
    }
    entry.model.completeExceptionally(failure);
  }

  private ServingModel loadFromRegistry(String name, int version) {
    RegistryClient.RegistryVersion described = describe(name, version);
    try {
      return registry.load(described);
    } catch (IOException | RuntimeException e) {
      log.error("Failed to load model {} version {} from {}", name, version,
          described.artifactUri(), e);
      throw InferenceProblem.loadFailed("Version " + version + " of model '" + name
          + "' failed to load from " + described.artifactUri() + ": " + reason(e)
          + ". Request another version, or fix the artifact and retry");
    }
  }

  /** Reads the registry's description of a version, as a 404 or 503 problem when it fails. */
  private RegistryClient.RegistryVersion describe(String name, int version) {
    try {
      return registry.describe(name, version).orElseThrow(() -> InferenceProblem.notFound(
          "Model '" + name + "' has no version " + version + " in the registry; served versions: "
              + describeServed(name)));
    } catch (RegistryClient.RegistryUnavailableException e) {
      log.warn("Failed to read version {} of model {} from the registry: {}", version, name,
          e.getMessage());
      throw InferenceProblem.unavailable("Version " + version + " of model '" + name
          + "' is not loaded, and the model registry could not be read to load it: "
          + e.getMessage(), RETRY_AFTER_SECONDS);
    }
  }

  /** Rejects a request for a non-production version that this service cannot load. */
  private void checkOnDemand(String name, int version) {
    if (!registry.follows(name)) {
      if (!current.containsKey(name)) {
        throw notServed(name);
      }
      throw InferenceProblem.notFound("Version " + version + " of model '" + name + "' is not"
          + " served; served versions: " + describeServed(name) + ". The model is not read from"
          + " the registry (byov.inference.registry.models), so other versions cannot be loaded");
    }
    if (extras.capacity() == 0) {
      throw InferenceProblem.notFound("Version " + version + " of model '" + name + "' is not"
          + " served; served versions: " + describeServed(name) + ". Loading other versions on"
          + " demand is off (byov.inference.registry.extra-versions=0); omit the version to use"
          + " the production version");
    }
  }

  private InferenceProblem notServed(String name) {
    List<String> served = names().stream().sorted().toList();
    String detail = "Model '" + name + "' is not served here; served models: "
        + (served.isEmpty() ? "none" : String.join(", ", served));
    FollowedModels followed = registry.followed();
    if (followed.all()) {
      detail += ". With byov.inference.registry.models=*, a registry model is served once it has a"
          + " production version, and at most byov.inference.registry.max-models ("
          + followed.maxModels() + ") models are served";
    }
    return InferenceProblem.notFound(detail);
  }

  private static ServingModel await(ExtraVersions.Entry entry) {
    try {
      return entry.model.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Returns whether {@code version} of {@code name} is loaded. A version that is not loaded is
   * looked up in the registry, so that an unknown version gets 404 rather than false.
   *
   * @throws InferenceProblem as {@link #acquire} does, except for load failures
   */
  public boolean versionReady(String name, int version) {
    if (currentVersion(name).map(info -> info.version() == version).orElse(false)) {
      return true;
    }
    synchronized (lock) {
      ExtraVersions.Entry entry = extras.peek(new ExtraVersions.Key(name, version));
      if (entry != null && !entry.promoting && entry.loaded() != null) {
        return true;
      }
    }
    checkOnDemand(name, version);
    describe(name, version);
    return false;
  }

  /** Returns the production version of {@code name} without taking a reference. */
  public Optional<ModelVersionInfo> currentVersion(String name) {
    AtomicReference<ServingModel> slot = current.get(name);
    return Optional.ofNullable(slot == null ? null : slot.get()).map(ServingModel::info);
  }

  /** Returns the loaded versions of {@code name}: production first, then the extra ones. */
  public List<Integer> servedVersions(String name) {
    List<Integer> versions = new ArrayList<>();
    currentVersion(name).ifPresent(info -> versions.add(info.version()));
    synchronized (lock) {
      for (int version : extras.loadedVersions(name)) {
        if (!versions.contains(version)) {
          versions.add(version);
        }
      }
    }
    return versions;
  }

  private String describeServed(String name) {
    Optional<ModelVersionInfo> production = currentVersion(name);
    List<Integer> versions = servedVersions(name);
    if (versions.isEmpty()) {
      return "none";
    }
    return versions.stream()
        .map(version -> production.isPresent() && production.get().version() == version
            ? version + " (production)" : Integer.toString(version))
        .collect(Collectors.joining(", "));
  }

  private int extraCount(String name) {
    synchronized (lock) {
      return extras.loadedVersions(name).size();
    }
  }

  /** Whether at least one model is loaded. */
  public boolean anyLoaded() {
    return current.values().stream().anyMatch(ref -> ref.get() != null);
  }

  /**
   * Returns the models that {@code models=*} follows whose production version is not loaded yet:
   * the first load is in progress or failed. Empty for a list of names, whose readiness needs only
   * one loaded model.
   */
  public List<String> waitingModels() {
    FollowedModels followed = registry.followed();
    if (!followed.all()) {
      return List.of();
    }
    return followed.names().stream().filter(name -> currentVersion(name).isEmpty()).toList();
  }

  /**
   * Returns whether the service is ready: a model is loaded and, with {@code models=*}, every
   * followed model is. With {@code models=*} and no production version in the registry, no model
   * is loaded, so the service is not ready.
   */
  public boolean ready() {
    return anyLoaded() && waitingModels().isEmpty();
  }

  /** Returns whether {@code name} is served here: installed, or a registry model. */
  public boolean serves(String name) {
    return current.containsKey(name) || registry.follows(name);
  }

  /** Returns the names that have had a production version installed. */
  public Set<String> names() {
    return Set.copyOf(current.keySet());
  }

  @Override
  public void close() {
    List<ServingModel> loaded;
    synchronized (lock) {
      loaded = extras.clear();
    }
    for (AtomicReference<ServingModel> slot : current.values()) {
      ServingModel model = slot.getAndSet(null);
      if (model != null) {
        loaded.add(model);
      }
    }
    for (ServingModel model : loaded) {
      model.release();
    }
  }
}
