package org.byov.common.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.byov.common.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes 401 (no or invalid token) and 403 (valid token without the role) as problem documents,
 * with the {@code WWW-Authenticate: Bearer} challenge on 401.
 */
public final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final JsonMapper mapper;

  public ProblemSecurityHandlers(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean invalidToken = e instanceof BadCredentialsException;
    response.setHeader(
        "WWW-Authenticate",
        invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer realm=\"byov\"");
    String detail =
        invalidToken
            ? "The bearer token is not valid; send a configured token."
            : "This route needs a bearer token: send Authorization: Bearer <token>.";
    write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(
        response,
        HttpStatus.FORBIDDEN,
        "Forbidden",
        "The token's roles do not allow " + request.getMethod() + " " + request.getRequestURI()
            + ".");
  }

  private void write(HttpServletResponse response, HttpStatus status, String title, String detail)
      throws IOException {
    ProblemDetail problem = Problems.of(status, title, detail, List.of());
    response.setStatus(status.value());
    response.setContentType(Problems.MEDIA_TYPE);
    mapper.writeValue(response.getOutputStream(), problem);
  }
}
