package org.byov.inference.web;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error of the inference routes as an RFC 9457 problem document: {@link
 * InferenceProblem} with its status, field and Retry-After; Spring MVC's own errors (unreadable
 * JSON, wrong media type) through {@link ResponseEntityExceptionHandler}; anything else as a 500
 * that is logged.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(InferenceProblem.class)
  ResponseEntity<ProblemDetail> inferenceProblem(InferenceProblem problem) {
    return toResponse(problem);
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
    log.error("Inference request failed", e);
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
        "The server failed to process the request; the error is logged");
    body.setTitle("Internal error");
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
  }

  /** Builds the problem response for {@code problem}; the body-limit filter uses it too. */
  static ResponseEntity<ProblemDetail> toResponse(InferenceProblem problem) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
    body.setTitle(problem.title());
    body.setType(URI.create("about:blank"));
    if (problem.field() != null) {
      body.setProperty("field", problem.field());
    }
    HttpHeaders headers = new HttpHeaders();
    if (problem.retryAfterSeconds() != null) {
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
    }
    return ResponseEntity.status(problem.status()).headers(headers).body(body);
  }
}
