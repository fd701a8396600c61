package org.byov.inference.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The registry models whose production versions this service serves: the names listed in {@code
 * byov.inference.registry.models}, or, when that list is the single entry {@value #ALL}, the
 * models of the registry that have a production version, at most {@code
 * byov.inference.registry.max-models} of them.
 *
 * <p>For {@value #ALL} the registry follower updates the set from the registry's model list at
 * every poll ({@link #select}), and request threads read it. A model stays followed once it is
 * followed, so a model that sorts first and gets its first production version later never
 * displaces one that is already served. Only a followed model that has neither a production version
 * in the list nor a loaded version leaves the set.
 */
public final class FollowedModels {

  /** The entry of {@code byov.inference.registry.models} that follows every production model. */
  public static final String ALL = "*";

  /**
   * The outcome of one {@link #select}.
   *
   * @param added models followed from now on, in the registry's order
   * @param dropped models no longer followed: no production version and none loaded
   * @param skipped models with a production version that are not followed, because {@code
   *     max-models} models are followed already
   */
  public record Selection(List<String> added, List<String> dropped, List<String> skipped) {}

  private final List<String> listed;
  private final boolean all;
  private final int maxModels;
  /** The names followed now; an immutable list replaced as a whole, so readers need no lock. */
  private volatile List<String> followed;

  public FollowedModels(ModelProperties.Registry registry) {
    this.listed = List.copyOf(registry.models());
    this.all = listed.equals(List.of(ALL));
    this.maxModels = registry.maxModels();
    this.followed = all ? List.of() : listed;
  }

  /** Returns whether the registry is followed at all; an empty list turns it off. */
  public boolean enabled() {
    return !listed.isEmpty();
  }

  /** Returns whether the list is {@value #ALL}, so that the followed models change at run time. */
  public boolean all() {
    return all;
  }

  /** Maximum number of models that {@value #ALL} follows. */
  public int maxModels() {
    return maxModels;
  }

  /** Returns the followed model names: the listed ones, or those {@link #select} chose. */
  public List<String> names() {
    return followed;
  }

  /** Returns whether {@code name} is followed now. */
  public boolean contains(String name) {
    return followed.contains(name);
  }

  /**
   * Updates the followed models of a {@value #ALL} list from the registry's model list. Followed
   * models stay, unless one has no production version in the list and {@code loaded} is false for
   * it. Models with a production version that are not followed yet are added in the list's order
   * until {@code max-models} are followed. Called by one thread at a time, the follower's.
   *
   * @param models the registry's models, in its order (by name)
   * @param loaded whether a version of the named model is loaded
   * @throws IllegalStateException when the list is not {@value #ALL}
   */
  public synchronized Selection select(List<RegistryClient.RegistryModel> models,
      Predicate<String> loaded) {
    if (!all) {
      throw new IllegalStateException("byov.inference.registry.models lists " + listed
          + ", so the followed models do not change at run time");
    }
    Set<String> inProduction = models.stream()
        .filter(model -> model.productionVersion() != null)
        .map(RegistryClient.RegistryModel::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));

    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String name : followed) {
      if (inProduction.contains(name) || loaded.test(name)) {
        kept.add(name);
      } else {
        dropped.add(name);
      }
    }

    List<String> added = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String name : inProduction) {
      if (kept.contains(name)) {
        continue;
      }
      if (kept.size() < maxModels) {
        kept.add(name);
        added.add(name);
      } else {
        skipped.add(name);
      }
    }

    followed = List.copyOf(kept);
    return new Selection(List.copyOf(added), List.copyOf(dropped), List.copyOf(skipped));
  }
}
