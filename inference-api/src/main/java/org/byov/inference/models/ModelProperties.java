package org.byov.inference.models;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sources of the served models.
 *
 * @param modelDir a local model directory to serve, for tests and single-machine use; unset to
 *     serve only registry models
 * @param modelName name under which {@code modelDir} is served
 * @param abstainThreshold abstain threshold of the local model (max probability), or unset
 * @param registry the orchestrator's model registry
 */
@ConfigurationProperties("byov.inference")
public record ModelProperties(
    Path modelDir,
    @DefaultValue("local") String modelName,
    Double abstainThreshold,
    @DefaultValue Registry registry) {

  /**
   * The model registry that the service follows.
   *
   * @param url base URL of the orchestrator
   * @param token bearer token with the inference role
   * @param models model names whose production version is served, or the single entry {@value
   *     FollowedModels#ALL} to serve every registry model that has a production version; empty
   *     turns the registry off
   * @param pollInterval time between checks for a newly promoted version
   * @param artifactsRoot root that relative artifact URIs resolve against
   * @param timeout connect and read timeout of each registry request
   * @param extraVersions maximum number of non-production versions, over all models, that stay
   *     loaded after requests named them. The least recently used one is unloaded first, and 0
   *     turns on-demand versions off
   * @param maxModels maximum number of models that {@code models=*} follows. Models with a
   *     production version beyond it are not served, and a warning names them
   */
  public record Registry(
      @DefaultValue("http://127.0.0.1:8080") String url,
      @DefaultValue("") String token,
      @DefaultValue List<String> models,
      @DefaultValue("30s") Duration pollInterval,
      @DefaultValue("./var/artifacts") Path artifactsRoot,
      @DefaultValue("10s") Duration timeout,
      @DefaultValue("2") int extraVersions,
      @DefaultValue("16") int maxModels) {

    public Registry {
      if (extraVersions < 0) {
        throw new IllegalArgumentException("Invalid byov.inference.registry.extra-versions "
            + extraVersions + "; set 0 to turn on-demand versions off, or a positive count");
      }
      if (maxModels < 1) {
        throw new IllegalArgumentException("Invalid byov.inference.registry.max-models "
            + maxModels + "; set the maximum number of models that models=* follows, at least 1");
      }
      if (models.contains(FollowedModels.ALL) && models.size() > 1) {
        throw new IllegalArgumentException("Invalid byov.inference.registry.models " + models
            + "; " + FollowedModels.ALL + " follows every registry model with a production"
            + " version and cannot be combined with names. Set either " + FollowedModels.ALL
            + " or a comma-separated list of names");
      }
    }
  }
}
