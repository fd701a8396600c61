package org.byov.eval.evaluations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;
import org.byov.core.eval.suite.EvaluationResult;
import org.byov.core.probe.LinearProbe;
import org.byov.core.report.EvaluationReport;
import org.byov.eval.config.EvalProperties;
import org.springframework.stereotype.Component;

/**
 * The report directories of the artifact store, {@code evaluations/{evaluationId}/report/} under
 * the artifacts root. A rerun writes the new report to a temporary directory and swaps it in, so a
 * reader never sees half a report.
 */
@Component
public class ReportFiles {

  /** File name of the linear probe in a report directory. */
  public static final String PROBE_FILE = "linear-probe.json";

  /** File names a report may contain; anything else is never served. */
  private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(png|svg|html)");

  private final Path root;

  public ReportFiles(EvalProperties properties) {
    this.root = properties.artifactsRoot().toAbsolutePath().normalize();
  }

  /** Returns the report directory of an evaluation. */
  public Path directory(UUID evaluationId) {
    return root.resolve("evaluations").resolve(evaluationId.toString()).resolve("report");
  }

  /** Renders the report of {@code result} into the evaluation's directory and returns its URI. */
  public String write(UUID evaluationId, EvaluationResult result) throws IOException {
    Path target = directory(evaluationId);
    Path temporary = target.resolveSibling(".report.tmp-" + System.nanoTime());
    EvaluationReport.write(result, temporary);
    Path old = target.resolveSibling(".report.old-" + System.nanoTime());
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(old);
    return target.resolve(EvaluationReport.INDEX).toUri().toString();
  }

  /**
   * Saves the evaluation's linear probe as {@value #PROBE_FILE} in its report directory, where the
   * inference API reads the prediction head of a registered model version.
   */
  public void saveProbe(UUID evaluationId, LinearProbe probe) throws IOException {
    probe.save(directory(evaluationId).resolve(PROBE_FILE));
  }

  /**
   * Returns a file of an evaluation's report, or null when the name is not a report file name or
   * the file does not exist.
   */
  public Path file(UUID evaluationId, String name) {
    if (!FILE_NAME.matcher(name).matches()) {
      return null;
    }
    Path file = directory(evaluationId).resolve(name);
    return Files.isRegularFile(file) ? file : null;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
