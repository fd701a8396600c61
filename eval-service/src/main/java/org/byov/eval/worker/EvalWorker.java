package org.byov.eval.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.byov.common.task.ClaimRequest;
import org.byov.common.task.ClaimedTask;
import org.byov.common.task.TaskClient;
import org.byov.common.task.TaskKind;
import org.byov.eval.config.EvalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker loop: claims one EVAL task at a time from the orchestrator, runs it, and polls again
 * after {@code byov.eval.poll-interval} while nothing is queued. It runs on its own thread, which
 * stops with the application context. A task in progress is left to its lease, so that another
 * worker takes it over.
 */
public class EvalWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EvalWorker.class);

  private final TaskClient client;
  private final EvaluationTaskRunner runner;
  private final EvalProperties properties;
  private volatile boolean running;
  private Thread thread;

  public EvalWorker(TaskClient client, EvaluationTaskRunner runner, EvalProperties properties) {
    this.client = client;
    this.runner = runner;
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "eval-worker");
    thread.setDaemon(true);
    thread.start();
    log.info("EVAL worker {} started, polling {} every {}", properties.workerId(),
        properties.orchestratorUrl(), properties.pollInterval());
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
    log.info("EVAL worker {} stopped", properties.workerId());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void loop() {
    ClaimRequest request = new ClaimRequest(List.of(TaskKind.EVAL), properties.workerId(),
        Map.of("device", properties.device()), null);
    while (running) {
      try {
        Optional<ClaimedTask> task = client.claim(request);
        if (task.isPresent()) {
          runner.run(task.get(), client);
          continue;
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("Claiming an EVAL task failed; retrying in {}: {}", properties.pollInterval(),
            e.toString());
      }
      try {
        Thread.sleep(properties.pollInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
