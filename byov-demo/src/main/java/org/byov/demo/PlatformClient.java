package org.byov.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON over HTTP to the platform's services, with a bearer token. */
final class PlatformClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String token;

  PlatformClient(String token) {
    this.token = token;
  }

  HttpClient http() {
    return http;
  }

  JsonMapper json() {
    return json;
  }

  /** Sends a GET and returns the JSON body; any status other than 200 is an error. */
  JsonNode get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
  }

  /** Sends a POST with a JSON body and returns the JSON reply; statuses other than 2xx fail. */
  JsonNode post(String url, Object body) throws IOException, InterruptedException {
    String text = json.writeValueAsString(body);
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text)),
        url);
  }

  private JsonNode send(HttpRequest.Builder request, String url)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        request.header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .timeout(Duration.ofMinutes(2))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "HTTP " + response.statusCode() + " from " + url + ": " + response.body());
    }
    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
  }
}
