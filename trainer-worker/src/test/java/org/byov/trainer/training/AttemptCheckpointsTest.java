package org.byov.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.byov.common.task.LeaseLostException;
import org.byov.trainer.artifacts.RunArtifacts;
import org.byov.trainer.tasks.TaskControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptCheckpointsTest {

  private static final UUID RUN = UUID.randomUUID();
  private static final UUID TASK = UUID.randomUUID();

  @TempDir Path root;

  @Test
  void directoriesLieUnderOwnAttempt() {
    RunArtifacts artifacts = new RunArtifacts(root, RUN);
    AttemptCheckpoints checkpoints =
        new AttemptCheckpoints(artifacts, 2, 3, new TaskControl(TASK, 5));

    assertThat(checkpoints.directoryFor(4, 40, true))
        .isEqualTo(artifacts.attemptDirectory(2).resolve("epoch-4"));
    assertThat(checkpoints.directoryFor(4, 43, false))
        .isEqualTo(artifacts.attemptDirectory(2).resolve("epoch-4-step-43"));
    assertThat(checkpoints.keep()).isEqualTo(3);
  }

  @Test
  void retentionNeverReachesNewerAttempts() throws IOException {
    RunArtifacts artifacts = new RunArtifacts(root, RUN);
    Files.createDirectories(artifacts.attemptDirectory(1));
    Files.createDirectories(artifacts.attemptDirectory(2));
    Files.createDirectories(artifacts.attemptDirectory(3));
    AttemptCheckpoints checkpoints =
        new AttemptCheckpoints(artifacts, 2, 3, new TaskControl(TASK, 5));

    assertThat(checkpoints.retentionRoots())
        .containsExactly(artifacts.attemptDirectory(1), artifacts.attemptDirectory(2));
  }

  @Test
  void lostLeaseRefusesEveryCheckpoint() {
    TaskControl control = new TaskControl(TASK, 5);
    AttemptCheckpoints checkpoints =
        new AttemptCheckpoints(new RunArtifacts(root, RUN), 1, 3, control);
    control.leaseLost(new LeaseLostException(TASK, "fencing token 1 is stale"));

    assertThatThrownBy(() -> checkpoints.directoryFor(1, 8, true))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("fencing token 1 is stale");
  }

  @Test
  void keepBelowOneIsRejected() {
    assertThatThrownBy(
            () -> new AttemptCheckpoints(new RunArtifacts(root, RUN), 1, 0, new TaskControl(TASK, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep-checkpoints");
  }
}
