package dev.ward.controlplane.policy.rest;

import dev.ward.controlplane.policy.Policy;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** A policy as the API shows it. {@code version} is also its ETag. */
public record PolicyView(
    UUID id,
    String name,
    String description,
    Map<String, Object> document,
    long version,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public static PolicyView of(Policy p) {
    return new PolicyView(
        p.id, p.name, p.description, p.document, p.version, p.createdAt, p.updatedAt);
  }
}
