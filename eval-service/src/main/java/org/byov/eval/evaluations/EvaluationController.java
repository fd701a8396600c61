package org.byov.eval.evaluations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.byov.common.problem.ApiProblemException;
import org.byov.core.report.EvaluationReport;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves stored evaluations, their report page and its plots. */
@RestController
@RequestMapping("/api/v1/evaluations")
public class EvaluationController {

  private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

  private final EvaluationStore store;
  private final ReportFiles reports;

  public EvaluationController(EvaluationStore store, ReportFiles reports) {
    this.store = store;
    this.reports = reports;
  }

  /** Returns the evaluation with every stored number. */
  @GetMapping("/{id}")
  public EvaluationView get(@PathVariable String id) {
    UUID evaluationId = parse(id);
    return store.find(evaluationId).orElseThrow(() -> notFound(evaluationId));
  }

  /**
   * Returns the report page. Its plots are linked relative to {@code /report/}, so the page gets a
   * base URL pointing there.
   */
  @GetMapping(value = "/{id}/report", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> report(@PathVariable String id) throws IOException {
    UUID evaluationId = parse(id);
    store.find(evaluationId).orElseThrow(() -> notFound(evaluationId));
    Path index = reports.file(evaluationId, EvaluationReport.INDEX);
    if (index == null) {
      throw ApiProblemException.notFound("Evaluation " + evaluationId + " has no report yet;"
          + " it is written when the evaluation succeeds");
    }
    String html = Files.readString(index, StandardCharsets.UTF_8).replaceFirst("<head>",
        "<head><base href=\"/api/v1/evaluations/" + evaluationId + "/report/\">");
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html);
  }

  /** Returns one plot of the report, PNG or SVG. */
  @GetMapping("/{id}/report/{file}")
  public ResponseEntity<byte[]> plot(@PathVariable String id, @PathVariable String file)
      throws IOException {
    UUID evaluationId = parse(id);
    Path path = reports.file(evaluationId, file);
    if (path == null || file.endsWith(".html")) {
      throw ApiProblemException.notFound("Evaluation " + evaluationId + " has no report file "
          + file);
    }
    MediaType type = file.endsWith(".png") ? MediaType.IMAGE_PNG : SVG;
    return ResponseEntity.ok().contentType(type).body(Files.readAllBytes(path));
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.invalidField("id", "'" + id + "' is not a UUID; use the"
          + " evaluationId of an EVAL task's result");
    }
  }

  private static ApiProblemException notFound(UUID id) {
    return ApiProblemException.notFound("Evaluation " + id + " not found");
  }
}
