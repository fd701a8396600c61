package org.byov.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.byov.common.task.LeaseLostException;
import org.junit.jupiter.api.Test;

class TaskControlTest {

  private static final UUID TASK = UUID.randomUUID();

  @Test
  void firstStopReasonWins() {
    TaskControl control = new TaskControl(TASK, 3);
    assertThat(control.stopRequested()).isFalse();

    control.requestCancel();
    control.requestShutdown();

    assertThat(control.stopReason()).isEqualTo(TaskControl.StopReason.CANCEL);
  }

  @Test
  void lostLeaseOverridesShutdown() {
    TaskControl control = new TaskControl(TASK, 3);
    control.requestShutdown();

    control.leaseLost(new LeaseLostException(TASK, "stale"));

    assertThat(control.stopReason()).isEqualTo(TaskControl.StopReason.LEASE_LOST);
    assertThat(control.isLeaseLost()).isTrue();
  }

  @Test
  void progressCarriesEpochStepAndThroughput() {
    TaskControl control = new TaskControl(TASK, 3);

    control.progress(2, 13, 250.04);

    assertThat(control.progress().epoch()).isEqualTo(2);
    assertThat(control.progress().totalEpochs()).isEqualTo(3);
    assertThat(control.progress().step()).isEqualTo(13L);
    assertThat(control.progress().message()).isEqualTo("epoch 2/3, step 13, 250.0 images/s");
    assertThat(control.progress().imagesPerSecond()).isEqualTo(250.04);
  }

  @Test
  void statusKeepsPositionAndThroughput() {
    TaskControl control = new TaskControl(TASK, 3);
    control.progress(2, 13, 250.0);

    control.status("writing the model");

    assertThat(control.progress().epoch()).isEqualTo(2);
    assertThat(control.progress().step()).isEqualTo(13L);
    assertThat(control.progress().imagesPerSecond()).isEqualTo(250.0);
    assertThat(control.progress().message()).isEqualTo("writing the model");
  }

  @Test
  void nonFiniteThroughputSentAsUnknown() {
    TaskControl control = new TaskControl(TASK, 3);

    control.progress(1, 1, Double.POSITIVE_INFINITY);

    assertThat(control.progress().imagesPerSecond()).isNull();
  }
}
