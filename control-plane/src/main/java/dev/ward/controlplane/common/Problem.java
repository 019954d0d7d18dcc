package dev.ward.controlplane.common;

import java.net.URI;
import java.util.List;

/**
 * An error a caller can act on, answered as RFC 9457 problem+json. Services throw it; {@link
 * ProblemMapper} writes it. The detail is written for the person reading it: what happened and what
 * to do next.
 */
public class Problem extends RuntimeException {

  private final int status;
  private final String title;
  private final String type;
  private final List<ProblemBody.FieldError> errors;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, (Throwable) null);
  }

  public Problem(int status, String title, String detail, Throwable cause) {
    this(status, title, detail, List.of(), cause);
  }

  public Problem(int status, String title, String detail, List<ProblemBody.FieldError> errors) {
    this(status, title, detail, errors, null);
  }

  private Problem(
      int status,
      String title,
      String detail,
      List<ProblemBody.FieldError> errors,
      Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.title = title;
    this.type = "https://ward.dev/problems/" + title.toLowerCase().replace(' ', '-');
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public URI type() {
    return URI.create(type);
  }

  public String detail() {
    return getMessage();
  }

  /** The invalid fields, for a validation problem; empty otherwise. */
  public List<ProblemBody.FieldError> errors() {
    return errors;
  }

  public static Problem notFound(String what) {
    return new Problem(404, "Not Found", what + " does not exist or is not visible to you.");
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  /** One field of the request is not valid; the message says what a valid value looks like. */
  public static Problem invalidField(String field, String message) {
    return invalid(List.of(new ProblemBody.FieldError(field, message)));
  }

  /** Some fields of the request are not valid, in the same shape as Bean Validation errors. */
  public static Problem invalid(List<ProblemBody.FieldError> errors) {
    return new Problem(400, "Invalid Request", "Some fields are not valid; see errors.", errors);
  }

  /** An update or delete came without If-Match. */
  public static Problem preconditionRequired() {
    return new Problem(
        428,
        "Precondition Required",
        "Send If-Match with the ETag of your last GET of this object, so that a change made by"
            + " someone else in the meantime is not overwritten.");
  }

  /** An update or delete came with the ETag of an older version. */
  public static Problem preconditionFailed(String what) {
    return new Problem(
        412,
        "Precondition Failed",
        what
            + " was changed by someone else since you read it: GET it again, reapply your"
            + " change and send the new ETag in If-Match.");
  }
}
