package dev.ward.controlplane.agent.rest;

import dev.ward.controlplane.agent.Agent;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An agent as the API shows it: identity and live status, never its token. */
public record AgentView(
    UUID id,
    String name,
    String status,
    boolean connected,
    String version,
    String hostname,
    OffsetDateTime createdAt,
    OffsetDateTime connectedAt,
    OffsetDateTime lastHeartbeatAt,
    long configVersionAcked,
    OffsetDateTime revokedAt,
    String recordingPublicKey) {

  public static AgentView of(Agent a) {
    String status = a.revokedAt != null ? "revoked" : a.connected ? "online" : "offline";
    return new AgentView(
        a.id,
        a.name,
        status,
        a.connected,
        a.version,
        a.hostname,
        a.createdAt,
        a.connectedAt,
        a.lastHeartbeatAt,
        a.configVersionAcked,
        a.revokedAt,
        a.recordingPublicKey);
  }
}
