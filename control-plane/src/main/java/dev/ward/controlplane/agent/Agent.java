package dev.ward.controlplane.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A Ward agent registered by a tenant: the data plane process inside the tenant's network. Its live
 * status is written by the agent channel.
 */
@Entity
@Table(name = "agents")
public class Agent extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;

  @Column(name = "token_hash")
  public byte[] tokenHash;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;

  public boolean connected;
  public String version;
  public String hostname;

  @Column(name = "connected_at")
  public OffsetDateTime connectedAt;

  @Column(name = "last_heartbeat_at")
  public OffsetDateTime lastHeartbeatAt;

  @Column(name = "config_version_acked")
  public long configVersionAcked;

  /** The key the agent signs recordings with, as it last announced it; written by the channel. */
  @Column(name = "recording_public_key", insertable = false, updatable = false)
  public String recordingPublicKey;
}
