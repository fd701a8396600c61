package org.byov.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths inside the repository that holds this module, found from the working directory. */
final class Repository {

  private static final Path ROOT = locateRoot();

  private Repository() {}

  /** Returns the repository root: the nearest directory above the working directory with deploy/. */
  static Path root() {
    return ROOT;
  }

  /** Resolves a path relative to the repository root. */
  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** Reads a repository file as UTF-8 text. */
  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }

  /** Lists the regular files under a directory whose names end with one of the suffixes, sorted. */
  static List<Path> files(Path directory, String... suffixes) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> Stream.of(suffixes).anyMatch(file.getFileName().toString()::endsWith))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + directory, e);
    }
  }

  private static Path locateRoot() {
    Path candidate = Path.of("").toAbsolutePath();
    while (candidate != null) {
      if (Files.isDirectory(candidate.resolve("deploy"))
          && Files.isRegularFile(candidate.resolve("pom.xml"))) {
        return candidate;
      }
      candidate = candidate.getParent();
    }
    throw new IllegalStateException(
        "No directory with deploy/ and pom.xml above " + Path.of("").toAbsolutePath()
            + "; run the tests from the repository or its deploy-checks module");
  }
}
