package org.byov.trainer.tasks;

import java.util.UUID;
import org.byov.common.task.LeaseLostException;
import org.byov.common.task.Progress;

/**
 * The state that the training thread, the heartbeat thread and the shutdown hook share about one
 * claimed task: why training should stop, and the latest progress for the next heartbeat. Every
 * field is written by one thread and read by others, so each is volatile.
 */
public final class TaskControl {

  /** The reason training stops early. The first reason recorded wins. */
  public enum StopReason {
    /** A heartbeat reply announced a cancel of the run: checkpoint, then call :cancelled. */
    CANCEL,
    /** The worker is shutting down (SIGTERM): checkpoint, then call :release. */
    SHUTDOWN,
    /** A call got 409 because another claim owns the task now, so write and call nothing more. */
    LEASE_LOST
  }

  private final UUID taskId;
  private final int totalEpochs;
  private volatile StopReason stopReason;
  private volatile LeaseLostException leaseLost;
  private volatile Progress progress;

  public TaskControl(UUID taskId, int totalEpochs) {
    this.taskId = taskId;
    this.totalEpochs = totalEpochs;
    this.progress = new Progress(null, totalEpochs, 0L, "starting");
  }

  public UUID taskId() {
    return taskId;
  }

  /** Records a cancel request unless the task is already stopping for another reason. */
  public void requestCancel() {
    requestStop(StopReason.CANCEL);
  }

  /** Records a shutdown unless the task is already stopping for another reason. */
  public void requestShutdown() {
    requestStop(StopReason.SHUTDOWN);
  }

  /** Records that the lease is lost; this overrides a cancel or shutdown already recorded. */
  public void leaseLost(LeaseLostException e) {
    leaseLost = e;
    stopReason = StopReason.LEASE_LOST;
  }

  private synchronized void requestStop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  /** Returns why training should stop, or null while it should go on. */
  public StopReason stopReason() {
    return stopReason;
  }

  public boolean stopRequested() {
    return stopReason != null;
  }

  public boolean isLeaseLost() {
    return stopReason == StopReason.LEASE_LOST;
  }

  /**
   * Throws {@link LeaseLostException} when a call has got 409, so that nothing more is
   * written for this task.
   */
  public void requireLease() {
    if (isLeaseLost()) {
      throw leaseLost;
    }
  }

  /**
   * Stores the progress that the next heartbeat reports.
   *
   * @param imagesPerSecond throughput of the latest steps; a negative or non-finite value (which
   *     JSON cannot carry) is sent as unknown
   */
  public void progress(int epoch, long step, double imagesPerSecond) {
    Double throughput =
        Double.isFinite(imagesPerSecond) && imagesPerSecond >= 0 ? imagesPerSecond : null;
    String message =
        String.format(
            java.util.Locale.ROOT, "epoch %d/%d, step %d, %.1f images/s",
            epoch, totalEpochs, step, imagesPerSecond);
    progress = new Progress(epoch, totalEpochs, step, message, throughput);
  }

  /** Stores a status message (for example while loading data) with the last known position. */
  public void status(String message) {
    Progress last = progress;
    progress =
        new Progress(last.epoch(), totalEpochs, last.step(), message, last.imagesPerSecond());
  }

  public Progress progress() {
    return progress;
  }
}
