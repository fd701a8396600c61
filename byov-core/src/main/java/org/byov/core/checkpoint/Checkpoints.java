package org.byov.core.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds checkpoints under one or more roots (for example every {@code attempt-n} directory of a
 * run), picks the newest valid one, and prunes old ones. A checkpoint is any directory, at most
 * {@value #MAX_DEPTH} levels below a root, that contains {@code manifest.json} of kind
 * {@code checkpoint}; hidden directories (temporary writes) are skipped.
 */
public final class Checkpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  static final int MAX_DEPTH = 3;

  private Checkpoints() {}

  /** A checkpoint directory with the position read from its manifest. */
  public record Entry(Path directory, int epoch, long step) {}

  /** Lists checkpoint directories under {@code roots}, newest (highest step) first, unverified. */
  public static List<Entry> list(List<Path> roots) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> paths = Files.walk(root, MAX_DEPTH)) {
        for (Path manifest : (Iterable<Path>) paths
            .filter(path -> path.getFileName().toString().equals(CheckpointManifest.FILE_NAME))
            ::iterator) {
          Path directory = manifest.getParent();
          if (isHidden(root, directory)) {
            continue;
          }
          readEntry(directory).ifPresent(entries::add);
        }
      }
    }
    entries.sort(Comparator.comparingLong(Entry::step).reversed()
        .thenComparing(entry -> entry.directory().toString(), Comparator.reverseOrder()));
    return entries;
  }

  /**
   * Returns the newest checkpoint under {@code roots} whose checksums match. Invalid ones are
   * logged with the reason and skipped.
   */
  public static Optional<Path> newestValid(List<Path> roots) throws IOException {
    for (Entry entry : list(roots)) {
      try {
        CheckpointIo.verify(entry.directory());
        return Optional.of(entry.directory());
      } catch (CorruptCheckpointException e) {
        LOG.warn("Skipping invalid checkpoint {}: {}", entry.directory(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Deletes all but the newest {@code keep} checkpoints under {@code roots}. */
  public static void retainNewest(List<Path> roots, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("Retention must keep at least 1 checkpoint, got " + keep);
    }
    List<Entry> entries = list(roots);
    for (Entry entry : entries.subList(Math.min(keep, entries.size()), entries.size())) {
      LOG.info("Deleting old checkpoint {} (epoch {}, step {})", entry.directory(), entry.epoch(),
          entry.step());
      CheckpointIo.deleteRecursively(entry.directory());
    }
  }

  private static Optional<Entry> readEntry(Path directory) {
    try {
      CheckpointManifest manifest =
          ManifestJson.read(directory.resolve(CheckpointManifest.FILE_NAME));
      if (!CheckpointManifest.KIND_CHECKPOINT.equals(manifest.kind())) {
        return Optional.empty();
      }
      return Optional.of(new Entry(directory, manifest.epoch(), manifest.step()));
    } catch (IOException e) {
      LOG.warn("Skipping checkpoint {} with an unreadable manifest: {}", directory, e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean isHidden(Path root, Path directory) {
    for (Path part : root.relativize(directory)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
