package dev.ward.controlplane.audit.rest;

import dev.ward.controlplane.audit.AuditEvent;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** An audit event as the API shows it. */
public record AuditEventView(
    UUID id,
    OffsetDateTime occurredAt,
    String actor,
    String action,
    String targetType,
    String targetId,
    Map<String, Object> before,
    Map<String, Object> after) {

  static AuditEventView of(AuditEvent e) {
    return new AuditEventView(
        e.id, e.occurredAt, e.actor, e.action, e.targetType, e.targetId, e.before, e.after);
  }
}
