package org.byov.common.problem;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error that becomes an RFC 9457 problem document with the given status. Throw it from a
 * controller or service; {@link ProblemExceptionHandler} renders it.
 */
public class ApiProblemException extends RuntimeException {

  private final HttpStatus status;
  private final String title;
  private final List<FieldProblem> errors;

  public ApiProblemException(HttpStatus status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public ApiProblemException(
      HttpStatus status, String title, String detail, List<FieldProblem> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  /** Creates a 400 about one field. */
  public static ApiProblemException invalidField(String field, String message) {
    return new ApiProblemException(
        HttpStatus.BAD_REQUEST,
        "Invalid request",
        field + ": " + message,
        List.of(new FieldProblem(field, message)));
  }

  /**
   * Creates a 422 about one field that is well-formed but names something that cannot be used,
   * such as a model reference that the registry does not contain.
   */
  public static ApiProblemException unprocessableField(String field, String message) {
    return new ApiProblemException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Unprocessable request",
        field + ": " + message,
        List.of(new FieldProblem(field, message)));
  }

  /** Creates a 404 for a missing resource, described in the detail. */
  public static ApiProblemException notFound(String detail) {
    return new ApiProblemException(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  /** Creates a 409 for a request that conflicts with the resource's current state. */
  public static ApiProblemException conflict(String detail) {
    return new ApiProblemException(HttpStatus.CONFLICT, "Conflict", detail);
  }

  /** Creates a 422 for a well-formed request that cannot be processed. */
  public static ApiProblemException unprocessable(String detail) {
    return new ApiProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", detail);
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldProblem> errors() {
    return errors;
  }
}
