package org.byov.inference.web;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders {@link InferenceProblem} as an RFC 9457 problem document with its status, the request
 * field it is about and, for 503, a Retry-After header. It runs before platform-common's handler,
 * which renders every other error (unreadable JSON, unexpected failures) as a problem document.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler {

  @ExceptionHandler(InferenceProblem.class)
  ResponseEntity<ProblemDetail> inferenceProblem(InferenceProblem problem) {
    return toResponse(problem);
  }

  /** Builds the problem response for {@code problem}. */
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
