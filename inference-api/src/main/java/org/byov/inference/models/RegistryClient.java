package org.byov.inference.models;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/**
 * Reads the orchestrator's model registry with the inference role's bearer token:
 * {@code GET /api/v1/models/{name}/production}.
 */
public class RegistryClient {

  private final RestClient client;

  public RegistryClient(RestClient.Builder builder, ModelProperties.Registry registry) {
    RestClient.Builder configured = builder.clone().baseUrl(registry.url());
    if (registry.token() != null && !registry.token().isBlank()) {
      configured.defaultHeader("Authorization", "Bearer " + registry.token());
    }
    this.client = configured.build();
  }

  /**
   * A model version as the registry returns it; fields this service does not use are ignored.
   *
   * @param inputContract the images the model accepts, or null
   * @param evaluationId the evaluation whose report directory may hold the linear probe
   * @param abstainThreshold max-probability threshold chosen by the evaluation, or null
   */
  public record RegistryVersion(String name, int version, String artifactUri,
      RegistryContract inputContract, UUID evaluationId, Map<String, Double> metrics,
      Double abstainThreshold) {}

  /** The registry's input contract: pixels scaled to 0..1, then {@code (x - mean) / std}. */
  public record RegistryContract(Integer channels, Integer height, Integer width,
      List<Double> mean, List<Double> std, List<String> classNames) {

    InputContract toContract() {
      return new InputContract(channels, height, width, mean, std, classNames);
    }
  }

  /**
   * Returns the production version of {@code name}, or empty when the registry has none (404).
   *
   * @throws IllegalStateException for any other error status, naming it
   */
  public Optional<RegistryVersion> production(String name) {
    return client.get()
        .uri("/api/v1/models/{name}/production", name)
        .exchange((request, response) -> {
          HttpStatusCode status = response.getStatusCode();
          if (status.value() == 404) {
            return Optional.<RegistryVersion>empty();
          }
          if (status.isError()) {
            throw new IllegalStateException("The model registry returned " + status.value()
                + " for " + request.getURI() + "; check BYOV_ORCHESTRATOR_URL and that"
                + " BYOV_INFERENCE_TOKEN has the inference role");
          }
          return Optional.ofNullable(response.bodyTo(RegistryVersion.class));
        });
  }
}
