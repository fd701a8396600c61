package org.byov.common.problem;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the problem documents every BYOV service returns. */
public final class Problems {

  /** Media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  /**
   * Returns a problem with the status, title and detail, plus an {@code errors} property listing
   * the invalid fields and a {@code field} property naming the first of them, when there are any.
   */
  public static ProblemDetail of(
      HttpStatusCode status, String title, String detail, List<FieldProblem> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    if (!errors.isEmpty()) {
      problem.setProperty("field", errors.get(0).field());
      problem.setProperty("errors", errors);
    }
    return problem;
  }
}
