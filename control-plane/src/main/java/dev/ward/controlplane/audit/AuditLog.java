package dev.ward.controlplane.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.security.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the audit event of an administrative change, in the caller's transaction, so a change and
 * its record commit or fail together. Before and after are the API's views of the object, which
 * never hold secrets (write-only fields appear as a flag that they are set).
 */
@ApplicationScoped
public class AuditLog {

  private final TenantScope scope;
  private final ObjectMapper json;

  public AuditLog(TenantScope scope, ObjectMapper json) {
    this.scope = scope;
    this.json = json;
  }

  /**
   * Records a change by the current caller.
   *
   * @param action {@code <target type>.<verb>}, e.g. {@code policy.delete}
   * @param targetType what kind of object changed, e.g. {@code policy}
   * @param targetId its id
   * @param before its API view before the change, or null when it was created
   * @param after its API view after the change, or null when it was deleted
   */
  public Uni<Void> record(
      String action, String targetType, Object targetId, Object before, Object after) {
    AuditEvent event = new AuditEvent();
    event.id = UUID.randomUUID();
    event.tenantId = scope.tenantId();
    event.actor = scope.actor();
    event.occurredAt = OffsetDateTime.now();
    event.action = action;
    event.targetType = targetType;
    event.targetId = targetId == null ? null : targetId.toString();
    event.before = document(before);
    event.after = document(after);
    return event.persist().replaceWithVoid();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> document(Object view) {
    return view == null ? null : json.convertValue(view, Map.class);
  }
}
