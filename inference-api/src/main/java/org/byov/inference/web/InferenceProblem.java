package org.byov.inference.web;

import org.springframework.http.HttpStatus;

/**
 * An error that the API returns as an RFC 9457 problem document.
 *
 * @see ProblemHandler
 */
public class InferenceProblem extends RuntimeException {

  private final HttpStatus status;
  private final String title;
  private final String field;
  private final Long retryAfterSeconds;

  public InferenceProblem(HttpStatus status, String title, String field, String detail,
      Long retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.title = title;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A 400 about one request field, for example {@code images[3].data}. */
  public static InferenceProblem invalidField(String field, String detail) {
    return new InferenceProblem(HttpStatus.BAD_REQUEST, "Invalid request", field, detail, null);
  }

  /** A 413 for input over a configured size limit. */
  public static InferenceProblem tooLarge(String field, String detail) {
    return new InferenceProblem(HttpStatus.CONTENT_TOO_LARGE, "Input too large", field, detail,
        null);
  }

  public static InferenceProblem notFound(String detail) {
    return new InferenceProblem(HttpStatus.NOT_FOUND, "Not found", null, detail, null);
  }

  /** A 503 with Retry-After, for a full queue or a model that is not loaded yet. */
  public static InferenceProblem unavailable(String detail, long retryAfterSeconds) {
    return new InferenceProblem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", null, detail,
        retryAfterSeconds);
  }

  /**
   * A 503 without Retry-After for a model version whose artifact failed to load. Retrying loads
   * it again, which helps only once the artifact or its storage is fixed.
   */
  public static InferenceProblem loadFailed(String detail) {
    return new InferenceProblem(HttpStatus.SERVICE_UNAVAILABLE, "Model version failed to load",
        null, detail, null);
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The request field the problem is about, or null. */
  public String field() {
    return field;
  }

  /** Seconds for the Retry-After header, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
