package dev.ward.agent.identity;

import java.time.Instant;
import java.util.List;

/**
 * A verified Ward grant: who is behind a connection, for which connection, and until when. Only
 * {@link GrantVerifier} makes these, so holding one means the signature, audience, lifetime, tenant
 * and revocation checks all passed.
 *
 * @param grantId the grant's {@code jti}
 * @param issuer the {@code iss} URL
 * @param tenantId the {@code tid} claim
 * @param subject the engineer ({@code sub})
 * @param email the engineer's email
 * @param groups the engineer's groups
 * @param actor the AI agent acting for the engineer ({@code act.sub}); empty when a person acts
 * @param owner the human owner of a service account; empty otherwise
 * @param workSessionId the {@code sid} shared by all traffic of one run
 * @param connectionId the audience: the connection this grant opens
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 */
public record Grant(
    String grantId,
    String issuer,
    String tenantId,
    String subject,
    String email,
    List<String> groups,
    String actor,
    String owner,
    String workSessionId,
    String connectionId,
    Instant issuedAt,
    Instant expiresAt) {

  public Grant {
    groups = List.copyOf(groups);
  }
}
