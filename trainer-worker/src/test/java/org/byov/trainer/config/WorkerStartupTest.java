package org.byov.trainer.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Map;
import org.byov.trainer.support.TestWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose BYOV_DEVICE is invalid or names a GPU that is not there stops while it starts,
 * before it claims anything. The orchestrator URL points at a closed port, because no call is
 * made.
 */
class WorkerStartupTest {

  @TempDir Path artifacts;

  private TestWorkers workers() {
    return new TestWorkers("http://127.0.0.1:9", artifacts);
  }

  @Test
  void invalidDeviceStopsStartup() {
    TestWorkers workers = workers();

    assertThatThrownBy(
            () -> workers.startInProcess("startup-tpu", Map.of("BYOV_DEVICE", "tpu")).close())
        .hasStackTraceContaining("byov.worker.device")
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "BYOV_DEVICE (byov.worker.device) = 'tpu' is invalid; use cpu, gpu (CUDA device 0)"
                + " or gpu:N (CUDA device N, from 0)");
  }

  @Test
  void gpuWithoutGpuStopsStartup() {
    assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
    TestWorkers workers = workers();

    assertThatThrownBy(
            () -> workers.startInProcess("startup-gpu", Map.of("BYOV_DEVICE", "gpu")).close())
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BYOV_DEVICE=gpu:0 names a GPU")
        .hasMessageContaining("sees no CUDA device")
        .hasMessageContaining("set BYOV_DEVICE=cpu");
  }
}
