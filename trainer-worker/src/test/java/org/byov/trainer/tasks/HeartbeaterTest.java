package org.byov.trainer.tasks;

import org.byov.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.byov.common.run.Method;
import org.byov.common.run.RunSpec;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.RetryBackoff;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskInput;
import org.byov.common.task.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The heartbeat thread against a scripted HTTP server on loopback: server errors are retried
 * without stopping the task, a cancel in the reply is recorded, and 409 marks the lease lost.
 */
class HeartbeaterTest {

  private static final UUID TASK = UUID.randomUUID();

  /** A scripted reply: status 200 with {@code cancelRequested: true}. */
  private static final int OK_WITH_CANCEL = -200;

  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /**
   * Starts a server that replies to heartbeat number i (from 0) with {@code statuses[i]}, and to
   * later ones with the last status. Status 200 replies without a cancel.
   */
  private TaskClient serve(List<String> requestBodies, int... statuses) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/v1/tasks/",
        exchange -> {
          requestBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          int call = calls.getAndIncrement();
          int status = statuses[Math.min(call, statuses.length - 1)];
          boolean cancel = status == OK_WITH_CANCEL;
          byte[] body =
              (status == 200 || cancel)
                  ? ("{\"leaseExpiresAt\":\"" + Instant.now().plusSeconds(30)
                          + "\",\"cancelRequested\":" + cancel + ",\"heartbeatSeconds\":1}")
                      .getBytes(StandardCharsets.UTF_8)
                  : "{\"detail\":\"scripted\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(cancel ? 200 : status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return TaskClient.create(
        RestClient.builder(),
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "token",
        new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0, Integer.MAX_VALUE));
  }

  private static ClaimedTask task() {
    RunSpec spec =
        new RunSpec("model", "fashion-mnist", Method.BYOV, null, null, null, null, null, null,
            null, null, 2, 16, 0L, 64, null, null);
    return new ClaimedTask(
        TASK, UUID.randomUUID(), TaskKind.TRAIN, spec, TaskInput.none(), 5, 1,
        Instant.now().plusSeconds(30), 1);
  }

  @Test
  void serverErrorsAreRetriedThenCancelRecorded() throws IOException {
    List<String> bodies = new CopyOnWriteArrayList<>();
    // 503 twice (retried inside TaskClient), then a reply that requests a cancel.
    TaskClient client = serve(bodies, 503, 503, OK_WITH_CANCEL);
    TaskControl control = new TaskControl(TASK, 2);
    control.progress(1, 3, 42.0);

    try (Heartbeater heartbeater = new Heartbeater(client, task(), control)) {
      heartbeater.start();
      Poll.untilTrue(Duration.ofSeconds(30), "the cancel to be recorded", control::stopRequested);
    }

    assertThat(control.stopReason()).isEqualTo(TaskControl.StopReason.CANCEL);
    assertThat(bodies).hasSizeGreaterThanOrEqualTo(3);
    assertThat(bodies.get(2)).contains("\"fencingToken\":5");
    assertThat(bodies.get(2)).contains("\"step\":3");
    assertThat(bodies.get(2)).contains("42.0 images/s");
  }

  @Test
  void conflictMarksLeaseLost() throws IOException {
    TaskClient client = serve(new CopyOnWriteArrayList<>(), 409);
    TaskControl control = new TaskControl(TASK, 2);

    try (Heartbeater heartbeater = new Heartbeater(client, task(), control)) {
      heartbeater.start();
      Poll.untilTrue(Duration.ofSeconds(30), "the lost lease to be recorded", control::isLeaseLost);
    }

    assertThat(control.stopReason()).isEqualTo(TaskControl.StopReason.LEASE_LOST);
  }
}
