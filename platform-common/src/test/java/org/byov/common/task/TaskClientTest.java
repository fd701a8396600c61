package org.byov.common.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** TaskClient against a scripted loopback HTTP server. */
class TaskClientTest {

  private static final RetryBackoff FAST = new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5), 2.0, 4);

  private HttpServer server;
  private final AtomicInteger claimCalls = new AtomicInteger();
  private final Set<Integer> claimClientPorts = ConcurrentHashMap.newKeySet();
  private final UUID taskId = UUID.randomUUID();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/v1/tasks:claim",
        exchange -> {
          assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer secret-token");
          claimClientPorts.add(exchange.getRemoteAddress().getPort());
          // The first call fails with 503, as during an orchestrator restart; the retry succeeds.
          if (claimCalls.incrementAndGet() == 1) {
            reply(exchange, 503, "");
            return;
          }
          reply(exchange, 200,
              """
              {"taskId":"%s","runId":"%s","kind":"TRAIN","spec":{"modelName":"m","dataset":"mnist",
               "method":"byov","epochs":2},"input":{},"fencingToken":7,"attempt":1,
               "leaseExpiresAt":"2026-01-01T00:00:00Z","heartbeatSeconds":10}"""
                  .formatted(taskId, UUID.randomUUID()));
        });
    server.createContext(
        "/internal/v1/tasks/" + taskId + ":heartbeat",
        exchange -> reply(exchange, 409, "{\"title\":\"Conflict\",\"detail\":\"stale token\"}"));
    server.createContext(
        "/internal/v1/tasks/" + taskId + ":fail",
        exchange -> reply(exchange, 400, "{\"detail\":\"error: must not be blank\"}"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void claimRetriesServerErrorThenReturnsTask() {
    Optional<ClaimedTask> task = client().claim(new ClaimRequest(List.of(TaskKind.TRAIN), "w", Map.of(), null));

    assertThat(task).isPresent();
    assertThat(task.get().fencingToken()).isEqualTo(7);
    assertThat(task.get().spec().epochs()).isEqualTo(2);
    assertThat(claimCalls.get()).isEqualTo(2);
  }

  @Test
  void sequentialCallsReuseOneConnection() {
    TaskClient client = client();
    ClaimRequest request = new ClaimRequest(List.of(TaskKind.TRAIN), "w", Map.of(), null);

    for (int i = 0; i < 5; i++) {
      client.claim(request);
    }

    // Six calls (the first claim is retried after its 503) over HTTP/1.1 keep-alive arrive from
    // one client port. A client that closed its connection would use a new port per call.
    assertThat(claimCalls.get()).isEqualTo(6);
    assertThat(claimClientPorts).hasSize(1);
  }

  @Test
  void callsRunOnCallingThread() {
    TaskClient client = client();
    ClaimRequest request = new ClaimRequest(List.of(TaskKind.TRAIN), "w", Map.of(), null);
    client.claim(request);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long startedBefore = threads.getTotalStartedThreadCount();

    for (int i = 0; i < 50; i++) {
      client.claim(request);
    }

    // Calls run on the calling thread. Spring's JDK HttpClient factory started two threads per
    // call on a machine with two CPUs (one for the body, one for the CompletableFuture), so 50
    // calls started about 100. The margin of 10 leaves room for threads of the JVM itself.
    assertThat(threads.getTotalStartedThreadCount() - startedBefore).isLessThan(10);
  }

  @Test
  void conflictBecomesLeaseLost() {
    assertThatThrownBy(() -> client().heartbeat(taskId, 7, null))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("stale token");
  }

  @Test
  void badRequestIsNotRetried() {
    assertThatThrownBy(() -> client().fail(taskId, 7, "", false))
        .isInstanceOfSatisfying(TaskClientException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void networkErrorsRetryUntilAttemptsRunOut() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TaskClient unreachable =
        TaskClient.create(RestClient.builder(), "http://127.0.0.1:" + closedPort, "secret-token", FAST);

    assertThatThrownBy(() -> unreachable.heartbeat(taskId, 1, null))
        .isInstanceOfSatisfying(TaskClientException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("after 4 attempts");
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, 10);
    // Jitter scales each wait by [0.5, 1]: 100 ms * 2^(n-1), capped at 400 ms.
    assertThat(backoff.delayBefore(1).toMillis()).isBetween(50L, 100L);
    assertThat(backoff.delayBefore(2).toMillis()).isBetween(100L, 200L);
    assertThat(backoff.delayBefore(5).toMillis()).isBetween(200L, 400L);
  }

  private TaskClient client() {
    return TaskClient.create(
        RestClient.builder(), "http://127.0.0.1:" + server.getAddress().getPort(), "secret-token", FAST);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
