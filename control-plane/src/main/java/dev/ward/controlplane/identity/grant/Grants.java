package dev.ward.controlplane.identity.grant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.connection.Connection;
import dev.ward.controlplane.connection.repository.ConnectionRepository;
import dev.ward.controlplane.security.RealmIdentityAugmentor;
import dev.ward.controlplane.security.TenantScope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mints grants: the short-lived tokens a person, or an AI agent acting for them, presents to a Ward
 * agent to use one connection. A grant names the engineer ({@code sub}, email, groups), the
 * connection ({@code aud}), the acting AI agent ({@code act}, RFC 8693), the work session that ties
 * a run's traffic together ({@code sid}) and expires within hours.
 */
@ApplicationScoped
public class Grants {

  /** Lifetime when the caller asks for none. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  /** The longest lifetime a grant can have. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(12);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectionRepository connections;
  private final GrantKeys keys;
  private final TenantScope scope;
  private final SecurityIdentity identity;
  private final AuditLog audit;
  private final String issuer;

  public Grants(
      ConnectionRepository connections,
      GrantKeys keys,
      TenantScope scope,
      SecurityIdentity identity,
      AuditLog audit,
      @ConfigProperty(name = "ward.console-url") String issuer) {
    this.connections = connections;
    this.keys = keys;
    this.scope = scope;
    this.identity = identity;
    this.audit = audit;
    this.issuer = issuer;
  }

  /** What a caller asks for. All fields are optional. */
  public record Request(String actor, String workSessionId, Long ttlSeconds) {}

  /** A minted grant and where to use it. */
  public record Issued(
      String token,
      String grantId,
      String workSessionId,
      Instant expiresAt,
      UUID connectionId,
      String connectionName,
      String kind,
      String host,
      int port) {}

  public Uni<Issued> mint(UUID connectionId, Request request) {
    Duration ttl =
        request.ttlSeconds() == null ? DEFAULT_LIFETIME : Duration.ofSeconds(request.ttlSeconds());
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_LIFETIME) > 0) {
      throw Problem.badRequest(
          "ttlSeconds must be between 1 and " + MAX_LIFETIME.toSeconds() + ".");
    }
    UUID tenant = scope.tenantId();
    return connections
        .get(connectionId)
        .chain(
            connection ->
                keys.current(tenant).map(key -> issue(tenant, connection, request, ttl, key)))
        .call(
            issued ->
                audit.record(
                    "grant.issue",
                    "connection",
                    issued.connectionId(),
                    null,
                    new AuditedGrant(
                        issued.grantId(),
                        issued.workSessionId(),
                        request.actor(),
                        issued.expiresAt())));
  }

  /** What the audit log keeps of a grant: never the token. */
  record AuditedGrant(String grantId, String workSessionId, String actor, Instant expiresAt) {}

  private Issued issue(
      UUID tenant, Connection connection, Request request, Duration ttl, GrantKeys.SigningKey key) {
    Instant now = Instant.now();
    Instant expires = now.plus(ttl);
    String grantId = "g_" + UUID.randomUUID().toString().replace("-", "");
    String workSession =
        request.workSessionId() == null || request.workSessionId().isBlank()
            ? "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20)
            : request.workSessionId();
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", issuer)
            .put("tid", tenant.toString())
            .put("sub", identity.getPrincipal().getName())
            .put("aud", connection.id.toString())
            .put("sid", workSession)
            .put("jti", grantId)
            .put("iat", now.getEpochSecond())
            .put("exp", expires.getEpochSecond());
    String email = identity.getAttribute("email");
    if (email != null) {
      claims.put("email", email);
    }
    // A service account's grant names the human who answers for it next to the account itself.
    String ownerSubject = identity.getAttribute(RealmIdentityAugmentor.OWNER_SUBJECT);
    if (ownerSubject != null) {
      ObjectNode owner = claims.putObject("owner").put("sub", ownerSubject);
      String ownerEmail = identity.getAttribute(RealmIdentityAugmentor.OWNER_EMAIL);
      if (ownerEmail != null) {
        owner.put("email", ownerEmail);
      }
    }
    var groups = claims.putArray("groups");
    identity.getRoles().stream().sorted().forEach(groups::add);
    if (request.actor() != null && !request.actor().isBlank()) {
      claims.putObject("act").put("sub", request.actor());
    }
    String token = GrantSigner.sign(key.id(), key.privateKey(), claims);
    return new Issued(
        token,
        grantId,
        workSession,
        expires,
        connection.id,
        connection.name,
        connection.kind,
        connection.listenHost,
        connection.listenPort);
  }

  /** Revokes a grant (by id) or every grant of a work session before they expire. */
  public Uni<Void> revoke(String grantOrWorkSessionId) {
    UUID tenant = scope.tenantId();
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(MAX_LIFETIME).plusMinutes(5);
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "INSERT INTO revoked_grants (tenant_id, revoked_id, revoked_by, expires_at)"
                            + " VALUES (:tenant, :id, :by, :expires) ON CONFLICT DO NOTHING")
                    .setParameter("tenant", tenant)
                    .setParameter("id", grantOrWorkSessionId)
                    .setParameter("by", scope.actor())
                    .setParameter("expires", expires)
                    .executeUpdate())
        .call(
            () ->
                audit.record(
                    "grant.revoke",
                    "grant",
                    grantOrWorkSessionId,
                    null,
                    Map.of("revoked", grantOrWorkSessionId)))
        .replaceWithVoid();
  }
}
