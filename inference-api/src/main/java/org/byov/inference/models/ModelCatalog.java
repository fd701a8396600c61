package org.byov.inference.models;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.byov.inference.web.InferenceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The current model version of each model name. {@link #install} switches a name to a new version
 * atomically; requests that already hold the old version finish on it, and the old version is freed
 * when the last of them releases it.
 */
@Component
public class ModelCatalog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

  private final Map<String, AtomicReference<ServingModel>> current = new ConcurrentHashMap<>();
  private final MeterRegistry meterRegistry;

  public ModelCatalog(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
  }

  /** Makes {@code model} the current version of its name and retires the previous one. */
  public void install(ServingModel model) {
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
    if (previous != null) {
      previous.release();
      log.info("Retired model {} version {}", name, previous.info().version());
    }
  }

  /**
   * Takes a reference on the current version of {@code name}. Release it with {@link
   * ServingModel#release()}.
   *
   * @param version the version the request names, or null for the current one
   * @throws InferenceProblem 404 for an unknown model or a version that is not served
   */
  public ServingModel acquire(String name, Integer version) {
    AtomicReference<ServingModel> slot = current.get(name);
    if (slot == null) {
      throw InferenceProblem.notFound("Model '" + name + "' is not served here; served models: "
          + String.join(", ", current.keySet()));
    }
    while (true) {
      ServingModel model = slot.get();
      if (model == null) {
        throw InferenceProblem.unavailable("Model '" + name + "' is not loaded yet", 5);
      }
      if (version != null && version != model.info().version()) {
        throw InferenceProblem.notFound("Version " + version + " of model '" + name
            + "' is not served; the served version is " + model.info().version());
      }
      if (model.tryAcquire()) {
        return model;
      }
      // The version was retired between get and acquire: the slot already contains its successor.
    }
  }

  /** Returns the current version of {@code name} without taking a reference. */
  public Optional<ModelVersionInfo> currentVersion(String name) {
    AtomicReference<ServingModel> slot = current.get(name);
    return Optional.ofNullable(slot == null ? null : slot.get()).map(ServingModel::info);
  }

  /** Whether at least one model is loaded. */
  public boolean anyLoaded() {
    return current.values().stream().anyMatch(ref -> ref.get() != null);
  }

  public java.util.Set<String> names() {
    return java.util.Set.copyOf(current.keySet());
  }

  @Override
  public void close() {
    for (AtomicReference<ServingModel> slot : current.values()) {
      ServingModel model = slot.getAndSet(null);
      if (model != null) {
        model.release();
      }
    }
  }
}
