package dev.ward.controlplane.common;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes every error of the REST API as problem+json, never as a stack trace. */
public class ProblemMapper {

  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response problem(Problem problem, UriInfo uri) {
    return write(
        problem.status(),
        problem.title(),
        problem.detail(),
        problem.type().toString(),
        uri,
        problem.errors());
  }

  /** Two writers raced on the same object and the other one committed first. */
  @ServerExceptionMapper({StaleStateException.class, OptimisticLockException.class})
  public Response stale(RuntimeException e, UriInfo uri) {
    return problem(Problem.preconditionFailed("The object"), uri);
  }

  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e, UriInfo uri) {
    List<ProblemBody.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(
                v ->
                    new ProblemBody.FieldError(
                        leaf(v.getPropertyPath().toString()), v.getMessage()))
            .sorted(java.util.Comparator.comparing(ProblemBody.FieldError::field))
            .toList();
    return write(
        400,
        "Invalid Request",
        "Some fields are not valid; see errors.",
        "https://ward.dev/problems/invalid-request",
        uri,
        errors);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return write(
        401,
        "Unauthorized",
        "Sign in again or send a valid bearer token in the Authorization header.",
        "https://ward.dev/problems/unauthorized",
        uri,
        null);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return write(
        403,
        "Forbidden",
        "Your role does not allow this call; ask a tenant admin for access.",
        "https://ward.dev/problems/forbidden",
        uri,
        null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    String detail =
        status == 404
            ? "No such resource: check the path."
            : status == 405
                ? "This method is not allowed on this path."
                : status == 415
                    ? "Send a JSON body with Content-Type: application/json."
                    : status == 400 ? "The request could not be read: " + safe(e) : title;
    return write(status, title, detail, "about:blank", uri, null);
  }

  /**
   * A person's bearer token names a tenant realm whose keys Ward could not fetch: the identity
   * server (Keycloak) is unreachable. Not the caller's fault and not a Ward bug, so neither 401
   * (which makes the console sign the person out) nor 500.
   */
  public Response identityServerUnreachable(OIDCException e, UriInfo uri) {
    LOG.warnf(
        "Could not check a sign-in token on %s: the identity server is unreachable (%s)",
        uri == null ? "?" : uri.getPath(), e.getMessage());
    return Response.fromResponse(
            write(
                503,
                "Identity Server Unreachable",
                "Ward could not reach the identity server to check this sign-in. Try again in a"
                    + " moment; API tokens and grants keep working meanwhile.",
                "https://ward.dev/problems/identity-server-unreachable",
                uri,
                null))
        .header("Retry-After", "10")
        .build();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Problem p) {
        return problem(p, uri);
      }
      if (t instanceof OIDCException oidc) {
        return identityServerUnreachable(oidc, uri);
      }
      if (t instanceof StaleStateException || t instanceof OptimisticLockException) {
        return stale((RuntimeException) t, uri);
      }
      if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
        // A concurrent writer created the same name between our check and our insert.
        return problem(
            Problem.conflict("An object with this name exists already; choose another name."), uri);
      }
      if (t instanceof PgException pg && "23503".equals(pg.getSqlState())) {
        return problem(
            Problem.conflict(
                "This object is still referenced (for example a policy used by a connection);"
                    + " remove the references first."),
            uri);
      }
    }
    LOG.errorf(e, "Unexpected error on %s", uri == null ? "?" : uri.getPath());
    return write(
        500,
        "Internal Server Error",
        "Ward could not complete the request. It was logged; retry, and if it persists contact"
            + " support.",
        "about:blank",
        uri,
        null);
  }

  private static String safe(WebApplicationException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage() == null ? "malformed body" : cause.getMessage();
    // Jackson messages can quote the whole body; keep the first line only, bounded.
    int nl = message.indexOf('\n');
    message = nl > 0 ? message.substring(0, nl) : message;
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  private static String leaf(String path) {
    // "create.request.name" -> "name": callers know fields, not Java method names.
    String[] parts = path.split("\\.");
    return parts.length >= 3
        ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
        : path;
  }

  private static Response write(
      int status,
      String title,
      String detail,
      String type,
      UriInfo uri,
      List<ProblemBody.FieldError> errors) {
    String instance = uri == null ? null : uri.getPath();
    return Response.status(status)
        .type(PROBLEM_JSON)
        .entity(new ProblemBody(type, title, status, detail, instance, errors))
        .build();
  }
}
