package org.byov.inference.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads the orchestrator's model registry with the inference role's bearer token: {@code GET
 * /api/v1/models}, {@code GET /api/v1/models/{name}/production} and {@code GET
 * /api/v1/models/{name}/versions/{version}}.
 */
public class RegistryClient {

  private static final ParameterizedTypeReference<List<RegistryModel>> MODEL_LIST =
      new ParameterizedTypeReference<>() {};

  private final RestClient client;
  private final String url;

  public RegistryClient(RestClient.Builder builder, ModelProperties.Registry registry) {
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
        HttpClient.newBuilder().connectTimeout(registry.timeout()).build());
    requests.setReadTimeout(registry.timeout());
    RestClient.Builder configured = builder.clone().baseUrl(registry.url())
        .requestFactory(requests);
    if (registry.token() != null && !registry.token().isBlank()) {
      configured.defaultHeader("Authorization", "Bearer " + registry.token());
    }
    this.client = configured.build();
    this.url = registry.url();
  }

  /** The registry could not be read: a network error or an error status other than 404. */
  public static class RegistryUnavailableException extends IllegalStateException {

    public RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A model version as the registry returns it; fields this service does not use are ignored.
   *
   * @param inputContract the images the model accepts, or null
   * @param evaluationId the evaluation whose report directory may hold the linear probe
   * @param abstainThreshold max-probability threshold chosen by the evaluation, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RegistryVersion(String name, int version, String artifactUri,
      RegistryContract inputContract, UUID evaluationId, Map<String, Double> metrics,
      Double abstainThreshold) {}

  /**
   * A model of the registry's model list; fields this service does not use are ignored.
   *
   * @param productionVersion the production version, or null while none is promoted
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RegistryModel(String name, Integer productionVersion) {}

  /** The registry's input contract: pixels scaled to 0..1, then {@code (x - mean) / std}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RegistryContract(Integer channels, Integer height, Integer width,
      List<Double> mean, List<Double> std, List<String> classNames) {

    InputContract toContract() {
      return new InputContract(channels, height, width, mean, std, classNames);
    }
  }

  /**
   * Returns every model of the registry, ordered by name, with its production version.
   *
   * @throws RegistryUnavailableException for a network error or an error status
   */
  public List<RegistryModel> models() {
    try {
      return client.get()
          .uri("/api/v1/models")
          .exchange((request, response) -> {
            HttpStatusCode status = response.getStatusCode();
            if (status.isError()) {
              throw errorStatus(request, status);
            }
            List<RegistryModel> models = response.bodyTo(MODEL_LIST);
            return models == null ? List.<RegistryModel>of() : models;
          });
    } catch (RestClientException e) {
      throw unreachable(e);
    }
  }

  /**
   * Returns the production version of {@code name}, or empty when the registry has none (404).
   *
   * @throws RegistryUnavailableException for a network error or any other error status
   */
  public Optional<RegistryVersion> production(String name) {
    return read("/api/v1/models/{name}/production", name);
  }

  /**
   * Returns version {@code version} of {@code name}, or empty when the registry has no such model
   * or version (404).
   *
   * @throws RegistryUnavailableException for a network error or any other error status
   */
  public Optional<RegistryVersion> version(String name, int version) {
    return read("/api/v1/models/{name}/versions/{version}", name, version);
  }

  private Optional<RegistryVersion> read(String path, Object... variables) {
    try {
      return client.get()
          .uri(path, variables)
          .exchange((request, response) -> {
            HttpStatusCode status = response.getStatusCode();
            if (status.value() == 404) {
              return Optional.<RegistryVersion>empty();
            }
            if (status.isError()) {
              throw errorStatus(request, status);
            }
            return Optional.ofNullable(response.bodyTo(RegistryVersion.class));
          });
    } catch (RestClientException e) {
      throw unreachable(e);
    }
  }

  private static RegistryUnavailableException errorStatus(HttpRequest request,
      HttpStatusCode status) {
    return new RegistryUnavailableException("The model registry returned " + status.value()
        + " for " + request.getURI() + "; check BYOV_ORCHESTRATOR_URL and that"
        + " BYOV_INFERENCE_TOKEN has the inference role", null);
  }

  private RegistryUnavailableException unreachable(RestClientException e) {
    return new RegistryUnavailableException("Failed to read the model registry at " + url + ": "
        + e.getMessage(), e);
  }
}
