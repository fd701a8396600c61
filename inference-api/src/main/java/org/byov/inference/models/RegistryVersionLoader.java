package org.byov.inference.models;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.byov.core.probe.LinearProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads model versions that the registry describes: resolves the artifact URI to a model
 * directory, finds the linear probe file and hands both to the {@link ModelLoader}. The registry
 * follower loads production versions with it, and the {@link ModelCatalog} loads the other
 * versions that requests name.
 */
public class RegistryVersionLoader {

  private static final Logger log = LoggerFactory.getLogger(RegistryVersionLoader.class);

  private final ModelProperties.Registry properties;
  private final RegistryClient registry;
  private final ModelLoader loader;
  private final FollowedModels followed;

  public RegistryVersionLoader(ModelProperties.Registry properties, RegistryClient registry,
      ModelLoader loader) {
    this.properties = properties;
    this.registry = registry;
    this.loader = loader;
    this.followed = new FollowedModels(properties);
  }

  /** Returns the registry models whose production versions are served. */
  public FollowedModels followed() {
    return followed;
  }

  /** Returns whether {@code name} is a followed model, whose other versions can be loaded. */
  public boolean follows(String name) {
    return followed.contains(name);
  }

  /** Maximum number of non-production versions kept loaded; 0 turns them off. */
  public int extraVersions() {
    return properties.extraVersions();
  }

  /**
   * Reads the registry's model list, with the production version of each model.
   *
   * @throws RegistryClient.RegistryUnavailableException when the registry cannot be read
   */
  public List<RegistryClient.RegistryModel> models() {
    return registry.models();
  }

  /**
   * Reads the production version of {@code name}.
   *
   * @throws RegistryClient.RegistryUnavailableException when the registry cannot be read
   */
  public Optional<RegistryClient.RegistryVersion> production(String name) {
    return registry.production(name);
  }

  /**
   * Reads version {@code version} of {@code name}; empty when the registry has no such version.
   *
   * @throws RegistryClient.RegistryUnavailableException when the registry cannot be read
   */
  public Optional<RegistryClient.RegistryVersion> describe(String name, int version) {
    return registry.version(name, version);
  }

  /**
   * Loads {@code version} into memory. The caller owns the returned model's first reference.
   *
   * @throws IOException if the model directory is unreadable or fails its checksums
   * @throws IllegalArgumentException for an unsupported artifact URI or inconsistent files
   */
  public ServingModel load(RegistryClient.RegistryVersion version) throws IOException {
    Path directory = resolve(version.artifactUri());
    log.info("Loading model {} version {} from {}", version.name(), version.version(), directory);
    ModelVersionInfo info = info(version);
    InputContract contract = version.inputContract() == null
        ? null : version.inputContract().toContract();
    return loader.load(new ModelSource(info, directory, contract, probeFile(directory, version)));
  }

  /**
   * Applies the evaluation that the registry now shows for a served version to a copy of it: the
   * abstain threshold, the evaluation id and, for a model that predicts with a linear probe, the
   * probe, found as {@link #load} finds it. A model that predicts with its own classifier keeps
   * it. The network is shared with {@code served}, not loaded again.
   *
   * @param served the served model, on which the caller holds a reference
   * @throws IOException if the probe file is unreadable, or if the model predicts with a probe
   *     and the evaluation has no probe file, so that the served model keeps its probe
   * @throws IllegalArgumentException if the probe does not fit the model
   */
  public ServingModel reevaluate(ServingModel served, RegistryClient.RegistryVersion version)
      throws IOException {
    PredictionHead head = served.head();
    if (!(head instanceof ClassifierHead)) {
      Path directory = resolve(version.artifactUri());
      Path probe = probeFile(directory, version);
      if (probe != null) {
        head = ProbeHead.of(LinearProbe.load(probe));
      } else if (head != null) {
        String searched = version.evaluationId() == null
            ? directory.toString()
            : directory + " or " + evaluationReport(version.evaluationId());
        throw new IOException("Evaluation " + version.evaluationId() + " of model "
            + version.name() + " version " + version.version() + " has no "
            + RegistryFollower.PROBE_FILE + " in " + searched + ", so the served version keeps"
            + " evaluation " + served.info().evaluationId() + " and its probe until one exists");
      }
    }
    return served.withEvaluation(info(version), head);
  }

  private static ModelVersionInfo info(RegistryClient.RegistryVersion version) {
    return new ModelVersionInfo(version.name(), version.version(), version.artifactUri(),
        version.abstainThreshold(), version.evaluationId());
  }

  private Path probeFile(Path directory, RegistryClient.RegistryVersion version) {
    Path inModel = existing(directory.resolve(RegistryFollower.PROBE_FILE));
    if (inModel != null || version.evaluationId() == null) {
      return inModel;
    }
    return existing(evaluationReport(version.evaluationId()).resolve(RegistryFollower.PROBE_FILE));
  }

  /** Returns the report directory of an evaluation, where the evaluation service saves its probe. */
  private Path evaluationReport(UUID evaluationId) {
    return properties.artifactsRoot().resolve("evaluations").resolve(String.valueOf(evaluationId))
        .resolve("report");
  }

  /** Returns {@code file} when it is a regular file, and null otherwise. */
  static Path existing(Path file) {
    return Files.isRegularFile(file) ? file : null;
  }

  /**
   * Resolves an artifact URI: {@code file:} URIs and absolute paths as they are, relative paths
   * against the artifacts root.
   */
  Path resolve(String artifactUri) {
    if (artifactUri == null || artifactUri.isBlank()) {
      throw new IllegalArgumentException("The registry gives no artifact URI for this version");
    }
    if (artifactUri.startsWith("file:")) {
      return Path.of(URI.create(artifactUri));
    }
    if (artifactUri.contains("://")) {
      throw new IllegalArgumentException("Unsupported artifact URI " + artifactUri
          + "; the inference API reads file: URIs and paths under BYOV_ARTIFACTS_ROOT");
    }
    Path path = Path.of(artifactUri);
    return path.isAbsolute() ? path : properties.artifactsRoot().resolve(path);
  }
}
