package org.byov.trainer.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one run in the artifact store:
 *
 * <pre>
 * runs/{runId}/train/attempt-{n}/epoch-{e}/          checkpoint at the end of epoch e
 * runs/{runId}/train/attempt-{n}/epoch-{e}-step-{s}/ checkpoint written on a stop, mid-epoch
 * runs/{runId}/model/                                the final model
 * runs/{runId}/.model-staging-{fencingToken}/        the final model before it is published
 * </pre>
 *
 * <p>An attempt number is reused after a release (the orchestrator does not count a release as an
 * attempt), which is safe because a releasing worker writes nothing after the release.
 */
public final class RunArtifacts {

  private static final Pattern ATTEMPT = Pattern.compile("attempt-(\\d+)");

  private final Path root;
  private final UUID runId;

  public RunArtifacts(Path artifactsRoot, UUID runId) {
    this.root = artifactsRoot.toAbsolutePath().normalize();
    this.runId = runId;
  }

  public Path runDirectory() {
    return root.resolve("runs").resolve(runId.toString());
  }

  public Path trainDirectory() {
    return runDirectory().resolve("train");
  }

  public Path attemptDirectory(int attempt) {
    return trainDirectory().resolve("attempt-" + attempt);
  }

  public Path modelDirectory() {
    return runDirectory().resolve("model");
  }

  /** Returns the hidden directory, unique to one claim, where the final model is written first. */
  public Path modelStagingDirectory(long fencingToken) {
    return runDirectory().resolve(".model-staging-" + fencingToken);
  }

  /** Returns the {@code file:} URI of the final model directory, with a trailing slash. */
  public String modelUri() {
    String uri = modelDirectory().toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  /**
   * Returns the attempt directories of the run with an attempt number of at most {@code
   * maxAttempt}, oldest first. Resume and retention look only at these, so a worker never reads
   * or deletes the files of a newer attempt than its own.
   */
  public List<Path> attemptDirectoriesUpTo(int maxAttempt) throws IOException {
    Path train = trainDirectory();
    if (!Files.isDirectory(train)) {
      return List.of();
    }
    List<Path> attempts = new ArrayList<>();
    try (Stream<Path> children = Files.list(train)) {
      children
          .filter(Files::isDirectory)
          .filter(path -> attemptNumber(path) > 0 && attemptNumber(path) <= maxAttempt)
          .sorted(Comparator.comparingInt(RunArtifacts::attemptNumber))
          .forEach(attempts::add);
    }
    return attempts;
  }

  /** Returns the number n of a directory named {@code attempt-n}, or 0 for any other name. */
  static int attemptNumber(Path directory) {
    Matcher matcher = ATTEMPT.matcher(directory.getFileName().toString());
    return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
  }
}
