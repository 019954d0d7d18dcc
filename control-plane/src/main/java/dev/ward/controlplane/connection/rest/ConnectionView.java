package dev.ward.controlplane.connection.rest;

import dev.ward.controlplane.connection.Connection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A connection as the API shows it. {@code secretRef} is only a reference the agent resolves, so it
 * is safe to show; {@code version} is also the ETag.
 */
public record ConnectionView(
    UUID id,
    String name,
    String kind,
    String listenHost,
    int listenPort,
    String target,
    String database,
    String username,
    String secretRef,
    String upstreamTls,
    UUID policyId,
    String recordingMode,
    String offlineMode,
    boolean allowPlaintextGrant,
    String credentialStyle,
    Map<String, Object> options,
    List<String> agents,
    long version,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public static ConnectionView of(Connection c) {
    return new ConnectionView(
        c.id,
        c.name,
        c.kind,
        c.listenHost,
        c.listenPort,
        c.target,
        c.database,
        c.username,
        c.secretRef,
        c.upstreamTls,
        c.policyId,
        c.recordingMode,
        c.offlineMode,
        c.allowPlaintextGrant,
        c.credentialStyle,
        c.options == null ? Map.of() : c.options,
        c.agents(),
        c.version,
        c.createdAt,
        c.updatedAt);
  }
}
