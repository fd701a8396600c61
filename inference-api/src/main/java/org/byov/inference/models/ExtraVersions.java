package org.byov.inference.models;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The non-production versions of a {@link ModelCatalog}, least recently used first. Each entry is
 * a load in progress or a loaded model on which the catalog holds one reference. Not thread-safe:
 * the catalog calls it only while holding its lock.
 */
final class ExtraVersions {

  /** A model name and version. */
  record Key(String name, int version) {}

  /** One version: its load, which concurrent requests for the same version wait on together. */
  static final class Entry {

    final Key key;
    /**
     * The load, or after a re-evaluation a completed future with the re-evaluated model. It is
     * replaced only under the catalog's lock; requests read it without the lock.
     */
    volatile CompletableFuture<ServingModel> model = new CompletableFuture<>();
    /** Set while the registry follower waits to install this version as production. */
    boolean promoting;

    Entry(Key key) {
      this.key = key;
    }

    /** Returns the loaded model, or null while it loads or after a failed load. */
    ServingModel loaded() {
      return model.isDone() && !model.isCompletedExceptionally() ? model.join() : null;
    }
  }

  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final int capacity;

  ExtraVersions(int capacity) {
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** Returns the entry of {@code key} and marks it as the most recently used, or null. */
  Entry use(Key key) {
    return entries.get(key);
  }

  /** Returns the entry of {@code key} without changing the usage order, or null. */
  Entry peek(Key key) {
    for (Entry entry : entries.values()) {
      if (entry.key.equals(key)) {
        return entry;
      }
    }
    return null;
  }

  /** Adds a new entry for {@code key}, whose load the caller starts. */
  Entry start(Key key) {
    Entry entry = new Entry(key);
    entries.put(key, entry);
    return entry;
  }

  /** Removes {@code entry} if it is still the entry of its key. */
  void remove(Entry entry) {
    entries.remove(entry.key, entry);
  }

  /**
   * Removes loaded entries, least recently used first, until at most {@code capacity} are loaded.
   * Loads in progress and versions being promoted are kept and not counted.
   *
   * @return the removed models, whose catalog reference the caller releases
   */
  List<ServingModel> evictOverCapacity() {
    List<ServingModel> evicted = new ArrayList<>();
    int loaded = loadedCount();
    Iterator<Entry> iterator = entries.values().iterator();
    while (loaded > capacity && iterator.hasNext()) {
      Entry entry = iterator.next();
      ServingModel model = entry.promoting ? null : entry.loaded();
      if (model != null) {
        iterator.remove();
        evicted.add(model);
        loaded--;
      }
    }
    return evicted;
  }

  /** Returns the loaded extra versions of {@code name}, except those being promoted. */
  List<ServingModel> loadedModels(String name) {
    List<ServingModel> models = new ArrayList<>();
    for (Entry entry : entries.values()) {
      ServingModel model = entry.promoting ? null : entry.loaded();
      if (entry.key.name().equals(name) && model != null) {
        models.add(model);
      }
    }
    return models;
  }

  /**
   * Makes {@code replacement} the model of its version if {@code expected} still is and the
   * version is not being promoted, without changing the usage order.
   *
   * @return whether the entry now contains {@code replacement}
   */
  boolean swap(ServingModel expected, ServingModel replacement) {
    Entry entry = peek(new Key(expected.info().name(), expected.info().version()));
    if (entry == null || entry.promoting || entry.loaded() != expected) {
      return false;
    }
    entry.model = CompletableFuture.completedFuture(replacement);
    return true;
  }

  /** Returns the number of loaded extra versions over all model names. */
  int loadedCount() {
    int count = 0;
    for (Entry entry : entries.values()) {
      if (!entry.promoting && entry.loaded() != null) {
        count++;
      }
    }
    return count;
  }

  /** Returns the loaded extra versions of {@code name}, in ascending order. */
  List<Integer> loadedVersions(String name) {
    List<Integer> versions = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.key.name().equals(name) && !entry.promoting && entry.loaded() != null) {
        versions.add(entry.key.version());
      }
    }
    versions.sort(null);
    return versions;
  }

  /** Removes every entry and returns the loaded models, whose references the caller releases. */
  List<ServingModel> clear() {
    List<ServingModel> loaded = new ArrayList<>();
    for (Entry entry : entries.values()) {
      ServingModel model = entry.loaded();
      if (model != null) {
        loaded.add(model);
      }
    }
    entries.clear();
    return loaded;
  }
}
