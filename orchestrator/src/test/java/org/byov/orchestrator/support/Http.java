package org.byov.orchestrator.support;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests: any status comes back as a {@link Response}, never thrown. */
public final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RestClient client;

  public Http(String baseUrl) {
    this.client = RestClient.builder().baseUrl(baseUrl).build();
  }

  /** A reply: status, headers, and the body parsed as JSON (null when empty). */
  public record Response(int status, HttpHeaders headers, String text) {

    public JsonNode json() {
      return text == null || text.isEmpty() ? null : JSON.readTree(text);
    }

    public String contentType() {
      return headers.getFirst(HttpHeaders.CONTENT_TYPE);
    }
  }

  public Response get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, Map.of(), MediaType.APPLICATION_JSON);
  }

  public Response post(String path, String token, String body) {
    return send(HttpMethod.POST, path, token, body, Map.of(), MediaType.APPLICATION_JSON);
  }

  public Response post(String path, String token, String body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, token, body, headers, MediaType.APPLICATION_JSON);
  }

  public Response delete(String path, String token) {
    return send(HttpMethod.DELETE, path, token, null, Map.of(), MediaType.APPLICATION_JSON);
  }

  public Response send(
      HttpMethod method,
      String path,
      String token,
      String body,
      Map<String, String> headers,
      MediaType contentType) {
    RestClient.RequestBodySpec request = client.method(method).uri(path);
    if (token != null) {
      request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    headers.forEach(request::header);
    if (body != null) {
      request.contentType(contentType).body(body);
    }
    return request.exchange(
        (req, res) ->
            new Response(
                res.getStatusCode().value(),
                res.getHeaders(),
                new String(res.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
  }
}
