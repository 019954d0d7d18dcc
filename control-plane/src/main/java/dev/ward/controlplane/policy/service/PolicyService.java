package dev.ward.controlplane.policy.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.ProblemBody;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.connection.repository.ConnectionRepository;
import dev.ward.controlplane.policy.Policy;
import dev.ward.controlplane.policy.repository.PolicyRepository;
import dev.ward.controlplane.policy.rest.PolicyInput;
import dev.ward.controlplane.policy.rest.PolicyView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates, replaces and deletes a tenant's policies. Every document is validated before it is
 * saved, every change is audited, and every change reaches the agents (the database bumps the
 * tenant's config version; see V3__config_push.sql).
 */
@ApplicationScoped
public class PolicyService {

  private static final Sorting SORTING =
      Sorting.by(
          "name", Map.of("name", "name", "createdAt", "createdAt", "updatedAt", "updatedAt"));

  private final PolicyRepository policies;
  private final ConnectionRepository connections;
  private final PolicyDocumentValidator validator;
  private final AuditLog audit;
  private final ObjectMapper json;

  public PolicyService(
      PolicyRepository policies,
      ConnectionRepository connections,
      PolicyDocumentValidator validator,
      AuditLog audit,
      ObjectMapper json) {
    this.policies = policies;
    this.connections = connections;
    this.validator = validator;
    this.audit = audit;
    this.json = json;
  }

  public Uni<Page<Policy>> page(String namePrefix, PageRequest request) {
    return policies.page(Criteria.all().startsWith("name", namePrefix), request, SORTING);
  }

  public Uni<Policy> get(UUID id) {
    return policies.get(id);
  }

  public Uni<Policy> create(PolicyInput input) {
    Map<String, Object> document = validated(input);
    return policies
        .findByName(input.name())
        .chain(
            existing -> {
              if (existing.isPresent()) {
                throw Problem.conflict(
                    "A policy named '" + input.name() + "' exists already; choose another name.");
              }
              Policy p = new Policy();
              p.id = UUID.randomUUID();
              p.tenantId = policies.tenantId();
              p.createdAt = OffsetDateTime.now();
              apply(p, input, document);
              return p.<Policy>persist();
            })
        .call(Panache::flush)
        .call(p -> audit.record("policy.create", "policy", p.id, null, PolicyView.of(p)));
  }

  public Uni<Policy> replace(UUID id, String ifMatch, PolicyInput input) {
    Map<String, Object> document = validated(input);
    return policies
        .get(id)
        .chain(
            p -> {
              ETags.requireMatch(ifMatch, p.version, "Policy " + id);
              PolicyView before = PolicyView.of(p);
              Uni<Void> nameFree =
                  p.name.equals(input.name())
                      ? Uni.createFrom().voidItem()
                      : policies
                          .findByName(input.name())
                          .invoke(
                              other -> {
                                if (other.isPresent()) {
                                  throw Problem.conflict(
                                      "A policy named '"
                                          + input.name()
                                          + "' exists already; choose another name.");
                                }
                              })
                          .replaceWithVoid();
              return nameFree
                  .invoke(() -> apply(p, input, document))
                  .call(Panache::flush)
                  .call(
                      () -> audit.record("policy.update", "policy", p.id, before, PolicyView.of(p)))
                  .replaceWith(p);
            });
  }

  public Uni<Void> delete(UUID id, String ifMatch) {
    return policies
        .get(id)
        .chain(
            p -> {
              ETags.requireMatch(ifMatch, p.version, "Policy " + id);
              return connections
                  .namesUsingPolicy(p.id)
                  .chain(
                      users -> {
                        if (!users.isEmpty()) {
                          throw Problem.conflict(
                              "Policy '"
                                  + p.name
                                  + "' is used by connection(s) "
                                  + String.join(", ", users)
                                  + "; give them another policy first.");
                        }
                        PolicyView before = PolicyView.of(p);
                        return p.delete()
                            .call(Panache::flush)
                            .call(
                                () -> audit.record("policy.delete", "policy", p.id, before, null));
                      });
            });
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> validated(PolicyInput input) {
    List<ProblemBody.FieldError> problems = validator.problems(input.document());
    if (!problems.isEmpty()) {
      throw Problem.invalid(problems);
    }
    return json.convertValue(input.document(), Map.class);
  }

  private static void apply(Policy p, PolicyInput input, Map<String, Object> document) {
    p.name = input.name();
    p.description = input.description();
    p.document = document;
    p.updatedAt = OffsetDateTime.now();
  }
}
