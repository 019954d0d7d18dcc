package dev.ward.controlplane.identity.service;

import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.identity.realm.RealmTemplate;
import dev.ward.controlplane.identity.realm.TenantRealms;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import dev.ward.controlplane.tenant.Tenant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;

/**
 * Service accounts for unattended agents: a confidential client of the tenant realm that gets
 * tokens with the client-credentials grant, always owned by a person of the tenant. Grants minted
 * with its token carry the account as {@code sub} and the person as {@code owner}.
 */
@ApplicationScoped
public class ServiceAccountService {

  private static final Logger LOG = Logger.getLogger(ServiceAccountService.class);

  private final TenantRealms realms;
  private final TenantScope scope;
  private final AuditLog audit;

  public ServiceAccountService(TenantRealms realms, TenantScope scope, AuditLog audit) {
    this.realms = realms;
    this.scope = scope;
    this.audit = audit;
  }

  /** A service account as the API shows it. */
  public record View(
      UUID id,
      String name,
      String clientId,
      String subject,
      UUID ownerId,
      String ownerEmail,
      OffsetDateTime createdAt) {}

  /** A new service account with its client secret, shown only once. */
  public record Created(View account, String clientSecret, String tokenUrl) {}

  public Uni<Created> create(String name, String ownerEmail) {
    UUID tenantId = scope.tenantId();
    String clientId = "sa-" + name;
    return Tenant.<Tenant>findById(tenantId)
        .chain(
            tenant -> {
              if (tenant == null || tenant.realm == null || !"ready".equals(tenant.signupState)) {
                throw Problem.conflict(
                    "Service accounts sign in through the tenant's identity realm, and this tenant"
                        + " has none; sign up through /api/v1/signup to get one.");
              }
              return owner(tenantId, ownerEmail)
                  .chain(owner -> nameFree(tenantId, name).replaceWith(owner))
                  .chain(
                      owner ->
                          realms
                              .call(() -> createClient(realms.realm(tenant.realm), clientId))
                              .chain(
                                  made -> {
                                    View view =
                                        new View(
                                            UUID.randomUUID(),
                                            name,
                                            clientId,
                                            made[0],
                                            (UUID) owner[0],
                                            (String) owner[1],
                                            OffsetDateTime.now());
                                    return insert(tenantId, view)
                                        .call(
                                            () ->
                                                audit.record(
                                                    "service-account.create",
                                                    "service-account",
                                                    view.id(),
                                                    null,
                                                    view))
                                        .replaceWith(
                                            new Created(
                                                view,
                                                made[1],
                                                realms.issuer(tenant.realm)
                                                    + "/protocol/openid-connect/token"))
                                        .onFailure()
                                        .call(
                                            e ->
                                                realms.run(
                                                    () ->
                                                        deleteClient(
                                                            realms.realm(tenant.realm), clientId)));
                                  }));
            });
  }

  public Uni<List<View>> list() {
    UUID tenantId = scope.tenantId();
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT s.id, s.name, s.client_id, s.subject, s.owner_user_id, u.email,"
                            + " s.created_at FROM service_accounts s JOIN users u ON u.id ="
                            + " s.owner_user_id WHERE s.tenant_id = :tenant ORDER BY s.name",
                        Object[].class)
                    .setParameter("tenant", tenantId)
                    .getResultList())
        .map(
            rows -> {
              List<View> views = new ArrayList<>();
              for (Object[] r : rows) {
                views.add(
                    new View(
                        (UUID) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (UUID) r[4],
                        (String) r[5],
                        toOffset(r[6])));
              }
              return views;
            });
  }

  public Uni<Void> delete(UUID id) {
    UUID tenantId = scope.tenantId();
    return list()
        .chain(
            all -> {
              View v =
                  all.stream()
                      .filter(a -> a.id().equals(id))
                      .findFirst()
                      .orElseThrow(() -> Problem.notFound("Service account " + id));
              return Tenant.<Tenant>findById(tenantId)
                  .chain(t -> realms.run(() -> deleteClient(realms.realm(t.realm), v.clientId())))
                  .chain(
                      () ->
                          Panache.getSession()
                              .chain(
                                  s ->
                                      s.createNativeQuery(
                                              "DELETE FROM service_accounts WHERE id = :id AND"
                                                  + " tenant_id = :tenant")
                                          .setParameter("id", id)
                                          .setParameter("tenant", tenantId)
                                          .executeUpdate()))
                  .call(
                      () -> audit.record("service-account.delete", "service-account", id, v, null))
                  .replaceWithVoid();
            });
  }

  /** (user id, email) of the owning person, who must have signed in to this tenant before. */
  private Uni<Object[]> owner(UUID tenantId, String email) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT u.id, u.email FROM users u WHERE u.tenant_id = :tenant AND"
                            + " lower(u.email) = lower(:email) AND NOT EXISTS (SELECT 1 FROM"
                            + " service_accounts s WHERE s.tenant_id = u.tenant_id AND s.subject"
                            + " = u.subject)",
                        Object[].class)
                    .setParameter("tenant", tenantId)
                    .setParameter("email", email)
                    .getResultList())
        .map(
            rows -> {
              if (rows.isEmpty()) {
                throw Problem.invalidField(
                    "owner",
                    "the email of a person of this tenant who has signed in to Ward at least once");
              }
              return rows.get(0);
            });
  }

  private Uni<Void> nameFree(UUID tenantId, String name) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT count(*) FROM service_accounts WHERE tenant_id = :tenant AND name"
                            + " = :name",
                        Long.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("name", name)
                    .getSingleResult())
        .invoke(
            n -> {
              if (n > 0) {
                throw Problem.conflict(
                    "A service account named '" + name + "' exists already; choose another name.");
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> insert(UUID tenantId, View v) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "INSERT INTO service_accounts (id, tenant_id, name, client_id, subject,"
                            + " owner_user_id, created_by) VALUES (:id, :tenant, :name, :client,"
                            + " :subject, :owner, :by)")
                    .setParameter("id", v.id())
                    .setParameter("tenant", tenantId)
                    .setParameter("name", v.name())
                    .setParameter("client", v.clientId())
                    .setParameter("subject", v.subject())
                    .setParameter("owner", v.ownerId())
                    .setParameter("by", scope.actor())
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** Creates the confidential client; returns (service account user id, client secret). */
  private static String[] createClient(RealmResource realm, String clientId) {
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(clientId);
    c.setName("Ward service account " + clientId.substring(3));
    c.setEnabled(true);
    c.setPublicClient(false);
    c.setProtocol("openid-connect");
    c.setClientAuthenticatorType("client-secret");
    c.setServiceAccountsEnabled(true);
    c.setStandardFlowEnabled(false);
    c.setDirectAccessGrantsEnabled(false);
    c.setImplicitFlowEnabled(false);
    c.setProtocolMappers(new ArrayList<>(List.of(RealmTemplate.groupsClaim())));
    try (var response = realm.clients().create(c)) {
      if (response.getStatus() >= 300) {
        throw new jakarta.ws.rs.WebApplicationException(response);
      }
    }
    try {
      String id = realm.clients().findByClientId(clientId).get(0).getId();
      var client = realm.clients().get(id);
      String userId = client.getServiceAccountUser().getId();
      String members =
          realm.groups().groups(Roles.MEMBER, true, 0, 10, true).stream()
              .filter(g -> Roles.MEMBER.equals(g.getName()))
              .map(GroupRepresentation::getId)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("realm has no ward-members group"));
      realm.users().get(userId).joinGroup(members);
      return new String[] {userId, client.getSecret().getValue()};
    } catch (RuntimeException e) {
      deleteClient(realm, clientId);
      throw e;
    }
  }

  private static void deleteClient(RealmResource realm, String clientId) {
    for (ClientRepresentation c : realm.clients().findByClientId(clientId)) {
      realm.clients().get(c.getId()).remove();
      LOG.debugf("Removed client %s", clientId);
    }
  }

  private static OffsetDateTime toOffset(Object value) {
    if (value instanceof OffsetDateTime o) {
      return o;
    }
    if (value instanceof java.time.Instant i) {
      return i.atOffset(java.time.ZoneOffset.UTC);
    }
    if (value instanceof java.time.LocalDateTime l) {
      return l.atOffset(java.time.ZoneOffset.UTC);
    }
    return null;
  }
}
