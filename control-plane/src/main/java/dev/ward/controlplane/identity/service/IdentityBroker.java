package dev.ward.controlplane.identity.service;

import dev.ward.controlplane.identity.IdentityProvider;
import io.smallrye.mutiny.Uni;

/**
 * Where a tenant's identity providers take effect: the identity realm that brokers them. The
 * Keycloak implementation (one realm per tenant) replaces {@link RecordOnlyIdentityBroker} without
 * touching the API; it is called inside the transaction, so a failure there rolls the change back.
 */
public interface IdentityBroker {

  /**
   * Creates or updates the provider in the tenant's realm.
   *
   * @param clientSecret the client secret in clear, or null when it did not change
   */
  Uni<Void> upsert(IdentityProvider provider, String clientSecret);

  /** Removes the provider from the tenant's realm. */
  Uni<Void> remove(IdentityProvider provider);
}
