package dev.ward.controlplane.distribution;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The URL agents and install scripts use to reach this control plane: {@code WARD_PUBLIC_URL} when
 * set (behind a load balancer it must be), else the URL the request came in on.
 */
@ApplicationScoped
public class PublicUrl {

  private final Optional<String> configured;

  public PublicUrl(@ConfigProperty(name = "ward.distribution.public-url") Optional<String> url) {
    this.configured = url.filter(u -> !u.isBlank()).map(PublicUrl::trimSlash);
  }

  /** The base URL, without a trailing slash. */
  public String of(UriInfo request) {
    return configured.orElseGet(() -> trimSlash(request.getBaseUri().toString()));
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
