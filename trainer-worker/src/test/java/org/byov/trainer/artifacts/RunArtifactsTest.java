package org.byov.trainer.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunArtifactsTest {

  private static final UUID RUN = UUID.fromString("0b6c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f");

  @TempDir Path root;

  @Test
  void layoutFollowsTheArtifactContract() {
    RunArtifacts artifacts = new RunArtifacts(root, RUN);

    assertThat(artifacts.attemptDirectory(2))
        .isEqualTo(root.resolve("runs/" + RUN + "/train/attempt-2"));
    assertThat(artifacts.modelDirectory()).isEqualTo(root.resolve("runs/" + RUN + "/model"));
    assertThat(artifacts.modelUri()).isEqualTo("file://" + root.resolve("runs/" + RUN + "/model") + "/");
    assertThat(artifacts.modelStagingDirectory(7).getFileName().toString())
        .isEqualTo(".model-staging-7");
  }

  @Test
  void attemptsUpToSkipsNewerAttempts() throws IOException {
    RunArtifacts artifacts = new RunArtifacts(root, RUN);
    for (String name : new String[] {"attempt-1", "attempt-3", "attempt-10", "attempt-2", "notes"}) {
      Files.createDirectories(artifacts.trainDirectory().resolve(name));
    }

    assertThat(artifacts.attemptDirectoriesUpTo(3))
        .containsExactly(
            artifacts.attemptDirectory(1), artifacts.attemptDirectory(2), artifacts.attemptDirectory(3));
    assertThat(artifacts.attemptDirectoriesUpTo(10)).hasSize(4);
  }

  @Test
  void attemptsOfRunWithoutCheckpointsAreEmpty() throws IOException {
    assertThat(new RunArtifacts(root, RUN).attemptDirectoriesUpTo(1)).isEmpty();
  }
}
