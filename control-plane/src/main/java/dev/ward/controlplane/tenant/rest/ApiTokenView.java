package dev.ward.controlplane.tenant.rest;

import dev.ward.controlplane.tenant.ApiToken;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An API token as the API shows it: never its value or digest. */
public record ApiTokenView(
    UUID id, String name, List<String> roles, OffsetDateTime createdAt, OffsetDateTime revokedAt) {

  public static ApiTokenView of(ApiToken t) {
    return new ApiTokenView(
        t.id,
        t.name,
        Arrays.stream(t.roles.split(",")).filter(r -> !r.isBlank()).toList(),
        t.createdAt,
        t.revokedAt);
  }
}
