package org.byov.core.cli;

import java.io.PrintStream;
import org.byov.core.train.StepProgress;

/** A one-line progress bar on a terminal stream, redrawn at most every 200 ms. */
final class ProgressBar {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final long started = System.nanoTime();
  private final long firstStep;
  private long lastDraw;

  ProgressBar(PrintStream out, long firstStep) {
    this.out = out;
    this.firstStep = firstStep;
  }

  void update(StepProgress progress, int batchSize) {
    long now = System.nanoTime();
    boolean last = progress.step() == progress.totalSteps();
    if (now - lastDraw < REDRAW_NANOS && !last) {
      return;
    }
    lastDraw = now;
    int filled = (int) Math.round(progress.fraction() * WIDTH);
    double seconds = (now - started) / 1e9;
    double imagesPerSecond = (progress.step() - firstStep) * batchSize / Math.max(seconds, 1e-9);
    out.printf("\r[%s%s] epoch %d/%d step %d/%d loss %.4f %.1f img/s ",
        "#".repeat(filled), ".".repeat(WIDTH - filled), progress.epoch(), progress.epochs(),
        progress.stepInEpoch(), progress.stepsPerEpoch(), progress.loss(), imagesPerSecond);
    out.flush();
  }

  void finishLine() {
    out.println();
  }
}
