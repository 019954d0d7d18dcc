package dev.ward.controlplane.identity.service;

import dev.ward.controlplane.identity.IdentityProvider;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The broker until the identity realm integration exists: providers are only recorded in Ward's
 * database. Any other {@link IdentityBroker} bean takes its place.
 */
@ApplicationScoped
@DefaultBean
public class RecordOnlyIdentityBroker implements IdentityBroker {

  @Override
  public Uni<Void> upsert(IdentityProvider provider, String clientSecret) {
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Void> remove(IdentityProvider provider) {
    return Uni.createFrom().voidItem();
  }
}
