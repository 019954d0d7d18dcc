package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.identity.User;
import dev.ward.controlplane.identity.repository.UserRepository;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's members: the people who signed in through its realm, each with the groups its last
 * token carried (Ward's role groups and the identity provider's own).
 */
@Path("/api/v1/members")
@RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
public class MemberResource {

  static final Sorting SORTING =
      Sorting.by(
          "-lastSeenAt",
          Map.of("lastSeenAt", "lastSeenAt", "createdAt", "createdAt", "email", "email"));

  /** A member as the API shows it. */
  public record MemberView(
      UUID id,
      String subject,
      String email,
      String displayName,
      String idpAlias,
      List<String> groups,
      OffsetDateTime createdAt,
      OffsetDateTime lastSeenAt) {}

  private final UserRepository users;

  public MemberResource(UserRepository users) {
    this.users = users;
  }

  @GET
  @WithSession
  public Uni<Page<MemberView>> list(@BeanParam ListParams paging) {
    UUID tenant = users.tenantId();
    return users
        .page(Criteria.all(), paging.toRequest(), SORTING)
        .chain(page -> groupsOf(tenant, page.items()).map(groups -> view(page, groups)));
  }

  private static Page<MemberView> view(Page<User> page, Map<UUID, List<String>> groups) {
    return page.map(
        u ->
            new MemberView(
                u.id,
                u.subject,
                u.email,
                u.displayName,
                u.idpAlias,
                groups.getOrDefault(u.id, List.of()),
                u.createdAt,
                u.lastSeenAt));
  }

  /** The group names of each user on the page, sorted; only the tenant's groups are read. */
  private static Uni<Map<UUID, List<String>>> groupsOf(UUID tenant, List<User> page) {
    if (page.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<UUID> ids = page.stream().map(u -> u.id).toList();
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT m.user_id, g.name FROM group_members m JOIN groups g"
                            + " ON g.id = m.group_id WHERE g.tenant_id = :tenant"
                            + " AND m.user_id IN (:ids) ORDER BY g.name",
                        Object[].class)
                    .setParameter("tenant", tenant)
                    .setParameter("ids", ids)
                    .getResultList())
        .map(
            rows -> {
              Map<UUID, List<String>> byUser = new HashMap<>();
              for (Object[] row : rows) {
                byUser.computeIfAbsent((UUID) row[0], k -> new ArrayList<>()).add((String) row[1]);
              }
              return byUser;
            });
  }
}
