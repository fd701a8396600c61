package org.byov.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.byov.eval.worker.ModelLoader;
import org.byov.eval.worker.SuiteModelLoader;
import org.byov.testing.Poll;

/**
 * The real model loader behind a gate: an evaluation that requests its model waits until the
 * test's condition holds, so that a test can act at a known point of a running evaluation. The
 * evaluation has then claimed its task and created its evaluation row, and its heartbeat runs.
 */
final class GatedModelLoader implements ModelLoader {

  /** Bound on the wait at the gate. A test that never opens it fails the evaluation. */
  private static final Duration GATE_LIMIT = Duration.ofMinutes(5);

  private final ModelLoader delegate = new SuiteModelLoader();
  private final CountDownLatch waiting = new CountDownLatch(1);
  private final BooleanSupplier open;
  private volatile boolean abandoned;

  GatedModelLoader(BooleanSupplier open) {
    this.open = open;
  }

  @Override
  public LoadedModel load(Path directory) throws IOException {
    waiting.countDown();
    try {
      Poll.untilTrue(GATE_LIMIT, "the test to open the model loader's gate",
          () -> abandoned || open.getAsBoolean());
    } catch (AssertionError e) {
      throw new IOException(e.getMessage(), e);
    }
    if (abandoned) {
      throw new IOException("The test abandoned this evaluation at the model loader's gate");
    }
    return delegate.load(directory);
  }

  /** Waits until an evaluation waits at the gate. Returns false if none did within the limit. */
  boolean awaitWaiting(Duration limit) throws InterruptedException {
    return waiting.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets a waiting evaluation go on with an error, once the test no longer needs it. */
  void abandon() {
    abandoned = true;
  }
}
