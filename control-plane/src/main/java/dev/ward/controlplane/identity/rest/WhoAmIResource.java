package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.security.RealmIdentityAugmentor;
import dev.ward.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.UUID;

/** Who the caller is to Ward: what {@code ward whoami} prints. Any authenticated caller. */
@Path("/api/v1/auth/me")
@RolesAllowed("**")
public class WhoAmIResource {

  private final SecurityIdentity identity;

  public WhoAmIResource(SecurityIdentity identity) {
    this.identity = identity;
  }

  /** The caller: subject, email, tenant, roles and, for a service account, its owner. */
  public record Me(
      String subject,
      String email,
      UUID tenantId,
      List<String> roles,
      String ownerSubject,
      String ownerEmail) {}

  @GET
  public Me me() {
    return new Me(
        identity.getPrincipal().getName(),
        identity.getAttribute(RealmIdentityAugmentor.EMAIL),
        identity.getAttribute(Roles.TENANT_ATTRIBUTE),
        identity.getRoles().stream().sorted().toList(),
        identity.getAttribute(RealmIdentityAugmentor.OWNER_SUBJECT),
        identity.getAttribute(RealmIdentityAugmentor.OWNER_EMAIL));
  }
}
