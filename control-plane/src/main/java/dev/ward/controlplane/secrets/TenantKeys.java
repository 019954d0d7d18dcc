package dev.ward.controlplane.secrets;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * Envelope encryption per tenant: each tenant has its own AES-256 data key, stored only wrapped by
 * the {@link MasterKey}, and every secret the control plane keeps (an IdP's client secret, later
 * Slack signing secrets) is sealed with it. Upstream credentials are not among them: they never
 * leave the customer network (docs/design/003-where-secrets-live.md). Runs in the caller's reactive
 * session.
 */
@ApplicationScoped
public class TenantKeys {

  private final MasterKey master;

  public TenantKeys(MasterKey master) {
    this.master = master;
  }

  /**
   * Seals a secret of a tenant.
   *
   * @param purpose what the secret is, e.g. {@code identity-provider/<id>/client-secret}; the same
   *     purpose must be given to open it
   */
  public Uni<byte[]> seal(UUID tenantId, String purpose, String secret) {
    master.key();
    return dataKey(tenantId)
        .map(
            key ->
                Envelope.seal(
                    key, secret.getBytes(StandardCharsets.UTF_8), context(tenantId, purpose)));
  }

  /** Opens a secret sealed by {@link #seal} for the same tenant and purpose. */
  public Uni<String> open(UUID tenantId, String purpose, byte[] sealed) {
    return dataKey(tenantId)
        .map(
            key ->
                new String(
                    Envelope.open(key, sealed, context(tenantId, purpose)),
                    StandardCharsets.UTF_8));
  }

  /** The tenant's data key, created and stored (wrapped) on first use. */
  private Uni<SecretKey> dataKey(UUID tenantId) {
    SecretKey wrapping = master.key();
    byte[] wrapContext = ("tenant-data-key:" + tenantId).getBytes(StandardCharsets.UTF_8);
    byte[] fresh = Envelope.seal(wrapping, Envelope.newKey().getEncoded(), wrapContext);
    return Panache.getSession()
        .chain(
            session ->
                session
                    // Two first uses may race: the first insert wins, both read the same key.
                    .createNativeQuery(
                        "INSERT INTO tenant_keys (tenant_id, master_key_id, wrapped_key)"
                            + " VALUES (:tenant, :master, :wrapped)"
                            + " ON CONFLICT (tenant_id) DO NOTHING")
                    .setParameter("tenant", tenantId)
                    .setParameter("master", master.id())
                    .setParameter("wrapped", fresh)
                    .executeUpdate()
                    .chain(
                        ignored ->
                            session
                                .createNativeQuery(
                                    "SELECT wrapped_key FROM tenant_keys WHERE tenant_id = :tenant",
                                    byte[].class)
                                .setParameter("tenant", tenantId)
                                .getSingleResult()))
        .map(wrapped -> Envelope.key(Envelope.open(wrapping, wrapped, wrapContext)));
  }

  private static byte[] context(UUID tenantId, String purpose) {
    return ("tenant:" + tenantId + "/" + purpose).getBytes(StandardCharsets.UTF_8);
  }
}
