package dev.ward.controlplane.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Security headers on every HTTP response of the control plane (API, console, docs): a strict
 * Content-Security-Policy (no inline script or style, no eval, no framing), no MIME sniffing, no
 * referrer, and HSTS when the request came over TLS. The agent channel (gRPC) is left alone.
 */
@ApplicationScoped
public class SecurityHeaders {

  /** The browsable API docs (Swagger UI) configure themselves with an inline script. */
  static final String DOCS_PATH = "/api/v1/docs";

  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final String policy;
  private final String docsPolicy;

  /**
   * @param connectSources origins the console may call besides its own, space-separated: the
   *     tenants' identity provider (Keycloak) for the OIDC token exchange
   */
  public SecurityHeaders(
      @ConfigProperty(name = "ward.security.csp-connect-src") Optional<String> connectSources) {
    String connect = "'self'" + connectSources.map(s -> " " + s.trim()).orElse("");
    this.policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " font-src 'self'; connect-src "
            + connect
            + "; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    this.docsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'";
  }

  void register(@Observes Filters filters) {
    filters.register(this::filter, 300);
  }

  void filter(RoutingContext rc) {
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.startsWith("application/grpc")) {
      boolean docs = rc.normalizedPath().startsWith(DOCS_PATH);
      boolean tls = "https".equalsIgnoreCase(rc.request().scheme());
      rc.addHeadersEndHandler(v -> apply(rc.response().headers(), docs, tls));
    }
    rc.next();
  }

  void apply(MultiMap headers, boolean docs, boolean tls) {
    headers.set("Content-Security-Policy", docs ? docsPolicy : policy);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (tls) {
      headers.set("Strict-Transport-Security", HSTS);
    }
  }
}
