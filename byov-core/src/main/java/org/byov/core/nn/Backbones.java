package org.byov.core.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of backbones by spec name. */
public final class Backbones {

  private static final Map<String, Supplier<Backbone>> REGISTRY = new LinkedHashMap<>();

  static {
    register(DefaultCnn.NAME, DefaultCnn::new);
    register(ResNet18.NAME, ResNet18::new);
    register(VisionTransformer.NAME, VisionTransformer::new);
  }

  private Backbones() {}

  /** Registers a backbone under {@code name}, replacing any earlier one. */
  public static synchronized void register(String name, Supplier<Backbone> factory) {
    REGISTRY.put(name, factory);
  }

  /** Returns a new instance of the backbone called {@code name}. */
  public static synchronized Backbone byName(String name) {
    Supplier<Backbone> factory = REGISTRY.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown backbone '" + name + "'; available: " + String.join(", ", REGISTRY.keySet()));
    }
    return factory.get();
  }

  public static synchronized java.util.Set<String> names() {
    return java.util.Set.copyOf(REGISTRY.keySet());
  }
}
