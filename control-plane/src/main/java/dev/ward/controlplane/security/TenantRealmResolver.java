package dev.ward.controlplane.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.identity.realm.TenantRealms;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Picks the tenant realm that must have issued a bearer JWT from the token's own {@code iss} claim,
 * before anything is trusted: only issuers of this Ward's identity server that name a tenant realm
 * ({@code <keycloak>/realms/ward-<slug>}) are considered, and the token is then verified against
 * that realm's published keys as usual. Ward's opaque tokens, and JWTs of any other issuer, are
 * left alone (no OIDC tenant).
 */
@ApplicationScoped
public class TenantRealmResolver implements TenantConfigResolver {

  /** OIDC tenant ids of tenant realms start with this; the rest is the tenant slug. */
  public static final String TENANT_PREFIX = "realm:";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{1,38}[a-z0-9]");
  private static final int MAX_TOKEN = 12 * 1024;

  private final TenantRealms realms;

  public TenantRealmResolver(TenantRealms realms) {
    this.realms = realms;
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
    return Uni.createFrom().item(configFor(context.request().getHeader(HttpHeaders.AUTHORIZATION)));
  }

  /** The OIDC settings for the realm that issued the bearer token, or null for none. */
  OidcTenantConfig configFor(String authorization) {
    Optional<String> prefix = realms.tenantIssuerPrefix();
    if (prefix.isEmpty()
        || authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    if (token.length() > MAX_TOKEN || ApiTokenIdentityProvider.handles(token)) {
      return null;
    }
    String issuer = unverifiedIssuer(token);
    if (issuer == null || !issuer.startsWith(prefix.get())) {
      return null;
    }
    String slug = issuer.substring(prefix.get().length());
    if (!SLUG.matcher(slug).matches()) {
      return null;
    }
    return OidcTenantConfig.authServerUrl(issuer)
        .tenantId(TENANT_PREFIX + slug)
        .applicationType(ApplicationType.SERVICE)
        .roles()
        .roleClaimPath("groups")
        .end()
        .token()
        .issuer(issuer)
        .principalClaim("sub")
        .end()
        .build();
  }

  /** The {@code iss} of a JWT, read without verifying it (only to choose the verifier). */
  static String unverifiedIssuer(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode iss = claims.get("iss");
      return iss != null && iss.isTextual() ? iss.asText() : null;
    } catch (Exception e) {
      return null;
    }
  }
}
