package org.byov.orchestrator.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** {@link ArtifactStore} on a file system (a PersistentVolume in Kubernetes) rooted at byov.artifacts.root. */
@Component
public class FileSystemArtifactStore implements ArtifactStore {

  private static final Logger log = LoggerFactory.getLogger(FileSystemArtifactStore.class);

  private final Path root;

  public FileSystemArtifactStore(@Value("${byov.artifacts.root}") Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public long deleteCheckpoints(UUID runId) {
    Path checkpoints = root.resolve("runs").resolve(runId.toString()).resolve("train");
    if (!Files.isDirectory(checkpoints)) {
      return 0;
    }
    AtomicLong deleted = new AtomicLong();
    try {
      Files.walkFileTree(
          checkpoints,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              deleted.incrementAndGet();
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e)
                throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete the checkpoints in " + checkpoints, e);
    }
    log.info("Deleted {} checkpoint files of run {} under {}", deleted.get(), runId, checkpoints);
    return deleted.get();
  }
}
