package org.byov.core.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes checkpoint and model directories atomically and reads them back only after every
 * checksum matches. A directory is first written under a hidden temporary name next to the target
 * ({@code .<name>.tmp-<nanos>}), each file is flushed to disk, and the directory is renamed into
 * place, so a reader never sees a partial checkpoint under the final name.
 */
public final class CheckpointIo {

  private CheckpointIo() {}

  /**
   * Writes {@code tensorFiles} and the manifest (with the files' SHA-256 filled in) to
   * {@code target}, replacing an existing directory of that name.
   */
  public static void write(Path target, CheckpointManifest manifest,
      Map<String, Map<String, Tensor>> tensorFiles) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve("." + target.getFileName() + ".tmp-" + System.nanoTime());
    Files.createDirectory(temporary);
    try {
      Map<String, String> checksums = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, Tensor>> file : tensorFiles.entrySet()) {
        Path path = temporary.resolve(file.getKey());
        TensorFile.write(path, file.getValue());
        forceToDisk(path);
        checksums.put(file.getKey(), Sha256.of(path));
      }
      Path manifestPath = temporary.resolve(CheckpointManifest.FILE_NAME);
      Files.writeString(manifestPath, ManifestJson.write(manifest.withFiles(checksums)),
          StandardCharsets.UTF_8);
      forceToDisk(manifestPath);
      moveIntoPlace(temporary, target.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temporary);
      throw e;
    }
  }

  /**
   * Reads and verifies a directory: the manifest must parse, have a known format version, and
   * every listed file must exist with the recorded SHA-256. Otherwise nothing is loaded and a
   * {@link CorruptCheckpointException} names the directory, the file and the mismatch.
   */
  public static CheckpointData read(Path directory) throws IOException {
    CheckpointManifest manifest = verify(directory);
    Map<String, Map<String, Tensor>> tensorFiles = new LinkedHashMap<>();
    for (String file : manifest.files().keySet()) {
      tensorFiles.put(file, TensorFile.read(directory.resolve(file)));
    }
    return new CheckpointData(directory, manifest, tensorFiles);
  }

  /** Verifies a directory's manifest and checksums without loading tensors; returns the manifest. */
  public static CheckpointManifest verify(Path directory) throws IOException {
    Path manifestPath = directory.resolve(CheckpointManifest.FILE_NAME);
    if (!Files.isRegularFile(manifestPath)) {
      throw new CorruptCheckpointException(
          "Checkpoint " + directory + " has no " + CheckpointManifest.FILE_NAME + "; not loaded");
    }
    CheckpointManifest manifest = ManifestJson.read(manifestPath);
    if (manifest.formatVersion() != CheckpointManifest.FORMAT_VERSION) {
      throw new CorruptCheckpointException("Checkpoint " + directory + " has format version "
          + manifest.formatVersion() + "; this build reads " + CheckpointManifest.FORMAT_VERSION);
    }
    if (manifest.files().isEmpty()) {
      throw new CorruptCheckpointException(
          "Checkpoint " + directory + " lists no files in its manifest; not loaded");
    }
    for (Map.Entry<String, String> file : manifest.files().entrySet()) {
      Path path = directory.resolve(file.getKey());
      if (!Files.isRegularFile(path)) {
        throw new CorruptCheckpointException("Checkpoint " + directory + " is missing "
            + file.getKey() + " listed in its manifest; not loaded");
      }
      String actual = Sha256.of(path);
      if (!actual.equals(file.getValue())) {
        throw new CorruptCheckpointException("Checkpoint " + directory + " is corrupt: "
            + file.getKey() + " has SHA-256 " + actual + " but the manifest records "
            + file.getValue() + "; not loaded");
      }
    }
    return manifest;
  }

  private static void forceToDisk(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void moveIntoPlace(Path temporary, Path target) throws IOException {
    Path previous = null;
    if (Files.exists(target)) {
      previous = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("Cannot rename " + temporary + " to " + target
          + " atomically; keep checkpoints on one file system", e);
    }
    if (previous != null) {
      deleteRecursively(previous);
    }
  }

  /** Deletes a directory tree; missing paths are ignored. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
