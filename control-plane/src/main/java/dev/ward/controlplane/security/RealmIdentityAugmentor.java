package dev.ward.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Completes the identity of a tenant-realm bearer token: which Ward tenant the realm belongs to
 * (the attribute {@link Roles#TENANT_ATTRIBUTE} that {@link TenantScope} reads), the person's
 * email, and for a service account the human who owns it. A person is mirrored into the users table
 * with their groups when first seen, and again at most once a minute after that.
 */
@ApplicationScoped
public class RealmIdentityAugmentor implements SecurityIdentityAugmentor {

  /** Identity attribute: the subject of the human owning a service account. */
  public static final String OWNER_SUBJECT = "ward.owner.subject";

  /** Identity attribute: the email of the human owning a service account. */
  public static final String OWNER_EMAIL = "ward.owner.email";

  /** Identity attribute: the caller's email. */
  public static final String EMAIL = "email";

  private static final long SYNC_EVERY_MILLIS = 60_000;
  private static final int MAX_CACHED = 10_000;
  private static final int MAX_GROUPS = 100;

  private final Pool pool;
  private final Map<String, UUID> tenantsBySlug = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSync = new ConcurrentHashMap<>();

  public RealmIdentityAugmentor(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    String oidcTenant = identity.getAttribute("tenant-id");
    if (identity.isAnonymous()
        || oidcTenant == null
        || !oidcTenant.startsWith(TenantRealmResolver.TENANT_PREFIX)
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    String slug = oidcTenant.substring(TenantRealmResolver.TENANT_PREFIX.length());
    return tenant(slug)
        .chain(
            tenantId ->
                owner(tenantId, jwt.getSubject())
                    .chain(
                        owner -> {
                          QuarkusSecurityIdentity.Builder b =
                              QuarkusSecurityIdentity.builder(identity)
                                  .addAttribute(Roles.TENANT_ATTRIBUTE, tenantId);
                          String email = jwt.getClaim("email");
                          if (email != null) {
                            b.addAttribute(EMAIL, email);
                          }
                          if (owner != null) {
                            b.addAttribute(OWNER_SUBJECT, owner[0]);
                            if (owner[1] != null) {
                              b.addAttribute(OWNER_EMAIL, owner[1]);
                            }
                            return Uni.createFrom().item((SecurityIdentity) b.build());
                          }
                          return syncUser(tenantId, jwt, identity)
                              .replaceWith(() -> (SecurityIdentity) b.build());
                        }));
  }

  private Uni<UUID> tenant(String slug) {
    UUID cached = tenantsBySlug.get(slug);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return pool.preparedQuery(
            "SELECT id FROM tenants WHERE slug = $1 AND realm IS NOT NULL"
                + " AND signup_state = 'ready'")
        .execute(Tuple.of(slug))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                throw new AuthenticationFailedException("no tenant for this realm");
              }
              UUID id = it.next().getUUID("id");
              if (tenantsBySlug.size() < MAX_CACHED) {
                tenantsBySlug.put(slug, id);
              }
              return id;
            });
  }

  /** The owner (subject, email) when the subject is one of the tenant's service accounts. */
  private Uni<String[]> owner(UUID tenantId, String subject) {
    return pool.preparedQuery(
            "SELECT u.subject, u.email FROM service_accounts s JOIN users u"
                + " ON u.id = s.owner_user_id AND u.tenant_id = s.tenant_id"
                + " WHERE s.tenant_id = $1 AND s.subject = $2")
        .execute(Tuple.of(tenantId, subject))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row r = it.next();
              return new String[] {r.getString("subject"), r.getString("email")};
            });
  }

  private Uni<Void> syncUser(UUID tenantId, JsonWebToken jwt, SecurityIdentity identity) {
    String key = tenantId + "/" + jwt.getSubject();
    long now = System.currentTimeMillis();
    Long last = lastSync.get(key);
    if (last != null && now - last < SYNC_EVERY_MILLIS) {
      return Uni.createFrom().voidItem();
    }
    if (lastSync.size() >= MAX_CACHED) {
      lastSync.clear();
    }
    lastSync.put(key, now);
    List<String> groups = new ArrayList<>();
    for (String role : identity.getRoles()) {
      if (groups.size() < MAX_GROUPS && !role.isBlank() && role.length() <= 255) {
        groups.add(role);
      }
    }
    String[] groupArray = groups.toArray(String[]::new);
    String email = bounded(jwt.getClaim("email"));
    String name = bounded(jwt.getClaim("name"));
    return pool.withTransaction(
            c ->
                c.preparedQuery(
                        "INSERT INTO users (id, tenant_id, subject, email, display_name,"
                            + " created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, now(), now())"
                            + " ON CONFLICT (tenant_id, subject) DO UPDATE SET email ="
                            + " EXCLUDED.email, display_name = EXCLUDED.display_name,"
                            + " last_seen_at = now() RETURNING id")
                    .execute(Tuple.of(UUID.randomUUID(), tenantId, jwt.getSubject(), email, name))
                    .map(rows -> rows.iterator().next().getUUID("id"))
                    .chain(
                        userId ->
                            c.preparedQuery(
                                    "INSERT INTO groups (id, tenant_id, name, source)"
                                        + " SELECT gen_random_uuid(), $1, n, CASE WHEN n LIKE"
                                        + " 'ward-%' THEN 'ward' ELSE 'idp' END FROM unnest($2::text[])"
                                        + " AS n ON CONFLICT (tenant_id, name) DO NOTHING")
                                .execute(Tuple.of(tenantId, groupArray))
                                .chain(
                                    () ->
                                        c.preparedQuery(
                                                "DELETE FROM group_members m USING groups g"
                                                    + " WHERE m.group_id = g.id AND m.user_id = $1"
                                                    + " AND NOT (g.name = ANY($2::text[]))")
                                            .execute(Tuple.of(userId, groupArray)))
                                .chain(
                                    () ->
                                        c.preparedQuery(
                                                "INSERT INTO group_members (group_id, user_id)"
                                                    + " SELECT g.id, $1 FROM groups g WHERE"
                                                    + " g.tenant_id = $2 AND g.name ="
                                                    + " ANY($3::text[]) ON CONFLICT DO NOTHING")
                                            .execute(Tuple.of(userId, tenantId, groupArray)))))
        .onFailure()
        .invoke(() -> lastSync.remove(key))
        .replaceWithVoid();
  }

  private static String bounded(String value) {
    return value == null ? null : value.length() > 320 ? value.substring(0, 320) : value;
  }
}
