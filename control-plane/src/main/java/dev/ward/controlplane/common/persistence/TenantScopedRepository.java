package dev.ward.controlplane.common.persistence;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.security.TenantScope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place tenant isolation is enforced for the REST API: every read is filtered by the
 * caller's tenant (from {@link TenantScope}), and an object of another tenant is indistinguishable
 * from one that does not exist (404, never 403, never data). Callers run inside a reactive session
 * ({@code @WithSession} or {@code @WithTransaction}).
 *
 * @param <E> an entity with a {@code tenantId} attribute and a UUID {@code id}
 */
public abstract class TenantScopedRepository<E> {

  @Inject protected TenantScope scope;

  private final Class<E> type;
  private final String noun;

  protected TenantScopedRepository(Class<E> type, String noun) {
    this.type = type;
    this.noun = noun;
  }

  /** The caller's tenant. */
  public UUID tenantId() {
    return scope.tenantId();
  }

  /**
   * The caller's objects matching a JPQL condition over the entity (alias {@code e}; may be blank),
   * in the given order. The tenant filter is added here.
   */
  protected Uni<List<E>> find(String condition, Map<String, Object> params, String orderBy) {
    String hql =
        "from "
            + type.getSimpleName()
            + " e where e.tenantId = :tenant"
            + (condition.isBlank() ? "" : " and (" + condition + ")")
            + (orderBy.isBlank() ? "" : " order by " + orderBy);
    UUID tenant = tenantId();
    return Panache.getSession()
        .chain(
            session -> {
              var query = session.createSelectionQuery(hql, type).setParameter("tenant", tenant);
              params.forEach(query::setParameter);
              return query.getResultList();
            });
  }

  /**
   * One page of the caller's objects matching the filters, in the requested order (checked against
   * the sortable fields), with the total count. The tenant filter is added here.
   */
  public Uni<Page<E>> page(Criteria criteria, PageRequest request, Sorting sorting) {
    String where =
        " e where e.tenantId = :tenant"
            + (criteria.condition().isBlank() ? "" : " and (" + criteria.condition() + ")");
    String orderBy = sorting.orderBy(request.sort());
    UUID tenant = tenantId();
    return Panache.getSession()
        .chain(
            session -> {
              var count =
                  session
                      .createSelectionQuery(
                          "select count(e) from " + type.getSimpleName() + where, Long.class)
                      .setParameter("tenant", tenant);
              criteria.params().forEach(count::setParameter);
              return count
                  .getSingleResult()
                  .chain(
                      total -> {
                        var items =
                            session
                                .createSelectionQuery(
                                    "from " + type.getSimpleName() + where + " order by " + orderBy,
                                    type)
                                .setParameter("tenant", tenant)
                                .setFirstResult(request.offset())
                                .setMaxResults(request.size());
                        criteria.params().forEach(items::setParameter);
                        return items
                            .getResultList()
                            .map(list -> new Page<>(list, request.page(), request.size(), total));
                      });
            });
  }

  /**
   * Locks the caller's tenant row until the transaction ends, so checks that span several objects
   * (e.g. listen ports that must not collide) cannot race with another admin's change.
   */
  public Uni<Void> lockTenant() {
    UUID tenant = tenantId();
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery("SELECT id FROM tenants WHERE id = :tenant FOR UPDATE")
                    .setParameter("tenant", tenant)
                    .getResultList())
        .replaceWithVoid();
  }

  /** All of the caller's objects. */
  public Uni<List<E>> listAll(String orderBy) {
    return find("", Map.of(), orderBy);
  }

  /** One of the caller's objects, if it exists. */
  public Uni<java.util.Optional<E>> find(UUID id) {
    return find("e.id = :id", Map.of("id", id), "").map(list -> list.stream().findFirst());
  }

  /** One of the caller's objects, or a 404 problem. */
  public Uni<E> get(UUID id) {
    return find("e.id = :id", Map.of("id", id), "")
        .map(
            found -> {
              if (found.isEmpty()) {
                throw Problem.notFound(noun + " " + id);
              }
              return found.get(0);
            });
  }
}
