package org.byov.inference.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests against the running server on loopback. */
public final class ApiClient {

  public static final String INFERENCE_TOKEN = "test-inference-token";
  public static final String RUNS_TOKEN = "test-runs-token";
  /** Test properties that configure the two tokens above. */
  public static final String[] TOKEN_PROPERTIES = {
    "byov.security.tokens[0].name=client",
    "byov.security.tokens[0].token=" + INFERENCE_TOKEN,
    "byov.security.tokens[0].roles=inference",
    "byov.security.tokens[1].name=runner",
    "byov.security.tokens[1].token=" + RUNS_TOKEN,
    "byov.security.tokens[1].roles=runs"
  };

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> post(String path, String json) {
    return post(path, json, INFERENCE_TOKEN);
  }

  public HttpResponse<String> post(String path, String json, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /**
   * Posts a body of {@code size} spaces over a raw socket and returns the status line and the
   * response. A writer thread streams the body while this thread reads, so a server that replies
   * and closes before reading the whole body still yields its reply (the writer's broken pipe is
   * expected and ignored).
   */
  public String postRawBody(String path, long size) throws IOException, InterruptedException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
      socket.setSoTimeout(30_000);
      java.io.OutputStream out = socket.getOutputStream();
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nAuthorization: Bearer " + INFERENCE_TOKEN
          + "\r\nContent-Length: " + size + "\r\n\r\n";
      out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      Thread writer = new Thread(() -> {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try {
          for (long sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
          }
          out.flush();
        } catch (IOException expected) {
          // The server closed the connection after rejecting the body.
        }
      });
      writer.start();
      byte[] reply = socket.getInputStream().readAllBytes();
      writer.join(30_000);
      return new String(reply, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private int port() {
    return URI.create(base).getPort();
  }

  public HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
