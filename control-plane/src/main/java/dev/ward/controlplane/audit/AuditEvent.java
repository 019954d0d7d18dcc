package dev.ward.controlplane.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One administrative change: who made it, when, to what, and the object before and after. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  @Column(name = "occurred_at", updatable = false)
  public OffsetDateTime occurredAt;

  public String actor;

  /** What happened, as {@code <target type>.<verb>}, e.g. {@code connection.update}. */
  public String action;

  @Column(name = "target_type")
  public String targetType;

  @Column(name = "target_id")
  public String targetId;

  /** The object as the API showed it before the change (null on create); secrets omitted. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> before;

  /** The object as the API shows it after the change (null on delete); secrets omitted. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> after;
}
