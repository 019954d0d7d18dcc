package dev.ward.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns an API token into a security identity: the tenant it belongs to and its roles. The platform
 * bootstrap token, when configured, yields the platform-admin role and no tenant.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

  private final Pool pool;
  private final Optional<String> bootstrapToken;

  public ApiTokenIdentityProvider(
      Pool pool, @ConfigProperty(name = "ward.bootstrap-token") Optional<String> bootstrapToken) {
    this.pool = pool;
    this.bootstrapToken = bootstrapToken.filter(t -> !t.isBlank());
  }

  /** Whether a bearer token has the shape of a Ward API or bootstrap token. */
  static boolean handles(String token) {
    return token.startsWith(OpaqueTokens.API_PREFIX) || token.startsWith("wboot_");
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String token = request.getToken().getToken();
    if (bootstrapToken.isPresent()
        && OpaqueTokens.constantTimeEquals(token, bootstrapToken.get())) {
      return Uni.createFrom()
          .item(
              QuarkusSecurityIdentity.builder()
                  .setPrincipal(new QuarkusPrincipal("bootstrap"))
                  .addRole(Roles.PLATFORM_ADMIN)
                  .build());
    }
    if (!token.startsWith(OpaqueTokens.API_PREFIX)) {
      // Not a Ward token (a realm's JWT): no answer, so the next provider (OIDC) verifies it. A
      // failure here would end the authentication, whichever order the providers run in.
      return Uni.createFrom().nullItem();
    }
    return pool.preparedQuery(
            "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1"
                + " AND revoked_at IS NULL RETURNING id, tenant_id, name, roles")
        .execute(Tuple.of(Buffer.buffer(OpaqueTokens.digest(token))))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                throw new AuthenticationFailedException("API token is unknown or revoked");
              }
              Row row = it.next();
              QuarkusSecurityIdentity.Builder identity =
                  QuarkusSecurityIdentity.builder()
                      .setPrincipal(new QuarkusPrincipal("api-token:" + row.getString("name")))
                      .addAttribute(Roles.TENANT_ATTRIBUTE, row.getUUID("tenant_id"));
              Arrays.stream(row.getString("roles").split(","))
                  .map(String::trim)
                  .filter(r -> !r.isEmpty())
                  .forEach(identity::addRole);
              return identity.build();
            });
  }
}
