package dev.ward.controlplane.tenant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An organisation using Ward. Everything else belongs to exactly one tenant. */
@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {

  @Id public UUID id;

  /** URL-safe short name, also the name of the tenant's identity realm. */
  public String slug;

  public String name;

  /** Bumped on every change that agents must see; agents acknowledge versions. */
  @Column(name = "config_version")
  public long configVersion;

  /** The tenant's identity realm ({@code ward-<slug>}); null for tenants without sign-up. */
  public String realm;

  /** provisioning | ready while and after sign-up creates the realm; null without sign-up. */
  @Column(name = "signup_state")
  public String signupState;

  /** The email of the admin who signed the tenant up. */
  @Column(name = "signup_email")
  public String signupEmail;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;
}
