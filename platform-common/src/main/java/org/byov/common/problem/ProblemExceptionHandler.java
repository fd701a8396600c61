package org.byov.common.problem;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error of a BYOV service into an RFC 9457 problem document. Invalid input names the
 * field in {@code detail} and lists each invalid field under {@code errors}; unexpected errors
 * become a bare 500 whose detail never contains a stack trace or exception text.
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

  @ExceptionHandler(ApiProblemException.class)
  public ResponseEntity<Object> handleApiProblem(ApiProblemException e) {
    return problem(e.status(), e.title(), e.getMessage(), e.errors());
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<Object> handleUnexpected(Exception e) {
    log.error("Request failed with an unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error",
        "The server failed to process the request; the error is in its log.",
        List.of());
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> errors = new ArrayList<>();
    for (FieldError error : e.getBindingResult().getFieldErrors()) {
      errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
    }
    e.getBindingResult()
        .getGlobalErrors()
        .forEach(error -> errors.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", describe(errors), errors);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> errors = new ArrayList<>();
    e.getParameterValidationResults()
        .forEach(
            result -> {
              if (result instanceof ParameterErrors body) {
                // A @Valid body: name the fields inside it, as for MethodArgumentNotValid.
                for (FieldError error : body.getFieldErrors()) {
                  errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
                }
                return;
              }
              String name = result.getMethodParameter().getParameterName();
              for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(new FieldProblem(name, error.getDefaultMessage()));
              }
            });
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", describe(errors), errors);
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
    String expected =
        e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
    FieldProblem error =
        new FieldProblem(name, "invalid value '" + e.getValue() + "', expected " + expected);
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", describe(List.of(error)), List.of(error));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    FieldProblem error = unreadableBody(e);
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", describe(List.of(error)), List.of(error));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
    if (response == null) {
      return null;
    }
    HttpHeaders withType = new HttpHeaders();
    withType.putAll(response.getHeaders());
    withType.setContentType(MediaType.parseMediaType(Problems.MEDIA_TYPE));
    return new ResponseEntity<>(response.getBody(), withType, response.getStatusCode());
  }

  private static FieldProblem unreadableBody(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return new FieldProblem(
          path(unknown), "unknown field '" + unknown.getPropertyName() + "'; remove it");
    }
    if (cause instanceof InvalidFormatException format) {
      String expected = describeType(format.getTargetType());
      return new FieldProblem(
          path(format), "invalid value '" + format.getValue() + "', expected " + expected);
    }
    if (cause instanceof InputCoercionException coercion) {
      // A JSON number that does not fit the field's type, such as 2^31 for an int.
      return new FieldProblem(path(coercion), "number out of range for "
          + describeType(coercion.getTargetType()) + "; send a smaller value");
    }
    if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String expected = describeType(mismatch.getTargetType());
      return new FieldProblem(path(mismatch), "wrong type, expected " + expected);
    }
    if (cause instanceof MismatchedInputException) {
      // An empty path means the top-level value itself has the wrong type, such as an array.
      return new FieldProblem("body", "the body must be a JSON object with the documented fields");
    }
    if (cause instanceof JacksonException json) {
      String where =
          json.getLocation() == null
              ? ""
              : " at line " + json.getLocation().getLineNr() + ", column "
                  + json.getLocation().getColumnNr();
      return new FieldProblem("body", "malformed JSON" + where);
    }
    return new FieldProblem("body", "the request body is missing or unreadable");
  }

  private static String describeType(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object constant : type.getEnumConstants()) {
        names.add(wireName((Enum<?>) constant));
      }
      return "one of " + names;
    }
    return type.getSimpleName();
  }

  private static String wireName(Enum<?> constant) {
    try {
      var annotation =
          constant
              .getDeclaringClass()
              .getField(constant.name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return annotation == null ? constant.name() : annotation.value();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  private static String describe(List<FieldProblem> errors) {
    if (errors.isEmpty()) {
      return "The request is invalid.";
    }
    StringBuilder detail = new StringBuilder();
    for (FieldProblem error : errors) {
      if (!detail.isEmpty()) {
        detail.append("; ");
      }
      detail.append(error.field()).append(": ").append(error.message());
    }
    return detail.toString();
  }

  private static ResponseEntity<Object> problem(
      HttpStatusCode status, String title, String detail, List<FieldProblem> errors) {
    return ResponseEntity.status(status)
        .contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE))
        .body(Problems.of(status, title, detail, errors));
  }
}
