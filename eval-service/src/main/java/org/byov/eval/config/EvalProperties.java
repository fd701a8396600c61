package org.byov.eval.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the evaluation service, bound from {@code byov.eval.*}.
 *
 * @param orchestratorUrl base URL of the orchestrator's task protocol
 * @param workerToken bearer token with the worker role, sent to the task endpoints
 * @param artifactsRoot root of the artifact store: models are read and reports written there
 * @param dataRoot root directory of the datasets
 * @param device {@code cpu} or {@code gpu}
 * @param threads PyTorch intra-op threads
 * @param workerEnabled whether the worker loop claims EVAL tasks
 * @param pollInterval wait between claims while nothing is queued
 * @param workerId name of this worker in task rows and logs; the host name when blank
 * @param trainLimit at most this many training images per evaluation, 0 for all (smoke tests)
 * @param testLimit at most this many test images, 0 for all
 * @param oodLimit at most this many OOD images, 0 for all
 * @param severities corruption severities to evaluate, 1 to 5; all five when empty
 * @param shutdownGrace time a SIGTERM leaves the evaluation in progress to reach its next stage
 *     and release its task. After it the stopping thread releases the task (default 30 s)
 */
@ConfigurationProperties("byov.eval")
public record EvalProperties(String orchestratorUrl, String workerToken, Path artifactsRoot,
    Path dataRoot, String device, Integer threads, Boolean workerEnabled, Duration pollInterval,
    String workerId, Integer trainLimit, Integer testLimit, Integer oodLimit,
    java.util.List<Integer> severities, Duration shutdownGrace) {

  public EvalProperties {
    orchestratorUrl = orchestratorUrl == null ? "http://127.0.0.1:8080" : orchestratorUrl;
    artifactsRoot = artifactsRoot == null ? Path.of("var", "artifacts") : artifactsRoot;
    device = device == null ? "cpu" : device;
    threads = threads == null ? 2 : threads;
    workerEnabled = workerEnabled == null ? Boolean.TRUE : workerEnabled;
    pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
    trainLimit = trainLimit == null ? 0 : trainLimit;
    testLimit = testLimit == null ? 0 : testLimit;
    oodLimit = oodLimit == null ? 0 : oodLimit;
    severities = severities == null ? java.util.List.of() : java.util.List.copyOf(severities);
    shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : shutdownGrace;
    if (shutdownGrace.isNegative() || shutdownGrace.isZero()) {
      throw new IllegalArgumentException("byov.eval.shutdown-grace must be positive, got "
          + shutdownGrace + "; set BYOV_SHUTDOWN_GRACE to a duration such as 30s");
    }
    if (workerId == null || workerId.isBlank()) {
      String host = System.getenv("HOSTNAME");
      workerId = "eval-" + (host == null || host.isBlank() ? ProcessHandle.current().pid() : host);
    }
  }
}
