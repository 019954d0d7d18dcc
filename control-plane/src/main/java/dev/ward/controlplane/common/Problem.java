package dev.ward.controlplane.common;

import java.net.URI;

/**
 * An error a caller can act on, answered as RFC 9457 problem+json. Services throw it; {@link
 * ProblemMapper} writes it. The detail is written for the person reading it: what happened and what
 * to do next.
 */
public class Problem extends RuntimeException {

  private final int status;
  private final String title;
  private final String type;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  public Problem(int status, String title, String detail, Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.title = title;
    this.type = "https://ward.dev/problems/" + title.toLowerCase().replace(' ', '-');
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
}
