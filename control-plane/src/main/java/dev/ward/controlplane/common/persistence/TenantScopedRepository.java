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

  /** All of the caller's objects. */
  public Uni<List<E>> listAll(String orderBy) {
    return find("", Map.of(), orderBy);
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
