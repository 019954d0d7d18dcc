package dev.ward.controlplane.identity.grant;

import dev.ward.controlplane.secrets.TenantKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's grant-signing keys. The current key is made on first use; rotation makes a new one and
 * keeps publishing the old one until every grant it signed has expired, so rotating never breaks a
 * session that is starting. Runs in the caller's reactive transaction.
 */
@ApplicationScoped
public class GrantKeys {

  private final TenantKeys tenantKeys;

  public GrantKeys(TenantKeys tenantKeys) {
    this.tenantKeys = tenantKeys;
  }

  /** The key that signs now, with its private half opened. */
  public record SigningKey(String id, PrivateKey privateKey) {}

  public Uni<SigningKey> current(UUID tenantId) {
    return GrantKey.<GrantKey>find(
            "tenantId = ?1 and supersededAt is null order by createdAt desc", tenantId)
        .firstResult()
        .chain(found -> found != null ? Uni.createFrom().item(found) : create(tenantId))
        .chain(
            key ->
                tenantKeys
                    .open(tenantId, purpose(key.id), key.privateKeySealed)
                    .map(
                        pkcs8 ->
                            new SigningKey(
                                key.id,
                                GrantSigner.privateKey(Base64.getDecoder().decode(pkcs8)))));
  }

  /** Makes a new signing key; the previous one stays published until its grants expired. */
  public Uni<GrantKey> rotate(UUID tenantId) {
    OffsetDateTime now = OffsetDateTime.now();
    return Panache.getSession()
        .chain(
            s ->
                s.createMutationQuery(
                        "update GrantKey set supersededAt = :now, retireAt = :retire"
                            + " where tenantId = :tenant and supersededAt is null")
                    .setParameter("now", now)
                    .setParameter("retire", now.plus(Grants.MAX_LIFETIME).plusMinutes(5))
                    .setParameter("tenant", tenantId)
                    .executeUpdate())
        .chain(ignored -> create(tenantId));
  }

  /** The keys agents must trust now: the current one and those not yet retired. */
  public Uni<List<GrantKey>> published(UUID tenantId) {
    return GrantKey.<GrantKey>find(
            "tenantId = ?1 and (retireAt is null or retireAt > ?2) order by createdAt",
            tenantId,
            OffsetDateTime.now())
        .list();
  }

  private Uni<GrantKey> create(UUID tenantId) {
    KeyPair pair = GrantSigner.newKeyPair();
    GrantKey key = new GrantKey();
    key.id = "gk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    key.tenantId = tenantId;
    key.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    key.createdAt = OffsetDateTime.now();
    return tenantKeys
        .seal(
            tenantId,
            purpose(key.id),
            Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()))
        .chain(
            sealedKey -> {
              key.privateKeySealed = sealedKey;
              return key.<GrantKey>persist();
            });
  }

  private static String purpose(String keyId) {
    return "grant-key/" + keyId;
  }
}
