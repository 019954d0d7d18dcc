package dev.ward.controlplane.connection.service;

import dev.ward.controlplane.agent.repository.AgentRepository;
import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.ProblemBody.FieldError;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.connection.Connection;
import dev.ward.controlplane.connection.repository.ConnectionRepository;
import dev.ward.controlplane.connection.rest.ConnectionInput;
import dev.ward.controlplane.connection.rest.ConnectionView;
import dev.ward.controlplane.policy.repository.PolicyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creates, replaces and deletes a tenant's connections, checking what spans several objects: unique
 * names, a policy of the same tenant, agents that exist, and listen ports that do not collide on an
 * agent. Each change is audited and reaches the agents through the config version bump.
 */
@ApplicationScoped
public class ConnectionService {

  private static final Sorting SORTING =
      Sorting.by(
          "name",
          Map.of(
              "name", "name",
              "kind", "kind",
              "listenPort", "listenPort",
              "createdAt", "createdAt",
              "updatedAt", "updatedAt"));

  private final ConnectionRepository connections;
  private final PolicyRepository policies;
  private final AgentRepository agents;
  private final AuditLog audit;

  public ConnectionService(
      ConnectionRepository connections,
      PolicyRepository policies,
      AgentRepository agents,
      AuditLog audit) {
    this.connections = connections;
    this.policies = policies;
    this.agents = agents;
    this.audit = audit;
  }

  /** Filters of the connection list; null means not filtered. */
  public record Filter(String name, String kind, UUID policyId) {}

  public Uni<Page<Connection>> page(Filter filter, PageRequest request) {
    Criteria criteria =
        Criteria.all()
            .startsWith("name", filter.name())
            .equal("kind", filter.kind())
            .equal("policyId", filter.policyId());
    return connections.page(criteria, request, SORTING);
  }

  public Uni<Connection> get(UUID id) {
    return connections.get(id);
  }

  public Uni<Connection> create(ConnectionInput input) {
    rejectInconsistent(input);
    return connections
        .lockTenant()
        .chain(() -> connections.findByName(input.name()))
        .invoke(
            existing -> {
              if (existing.isPresent()) {
                throw nameTaken(input.name());
              }
            })
        .chain(() -> resolve(input, null))
        .chain(
            agentNames -> {
              Connection c = new Connection();
              c.id = UUID.randomUUID();
              c.tenantId = connections.tenantId();
              c.createdAt = OffsetDateTime.now();
              apply(c, input, agentNames);
              return c.<Connection>persist();
            })
        .call(Panache::flush)
        .call(
            c -> audit.record("connection.create", "connection", c.id, null, ConnectionView.of(c)));
  }

  public Uni<Connection> replace(UUID id, String ifMatch, ConnectionInput input) {
    rejectInconsistent(input);
    return connections
        .lockTenant()
        .chain(() -> connections.get(id))
        .chain(
            c -> {
              ETags.requireMatch(ifMatch, c.version, "Connection " + id);
              ConnectionView before = ConnectionView.of(c);
              Uni<Void> nameFree =
                  c.name.equals(input.name())
                      ? Uni.createFrom().voidItem()
                      : connections
                          .findByName(input.name())
                          .invoke(
                              other -> {
                                if (other.isPresent()) {
                                  throw nameTaken(input.name());
                                }
                              })
                          .replaceWithVoid();
              return nameFree
                  .chain(() -> resolve(input, c.id))
                  .invoke(agentNames -> apply(c, input, agentNames))
                  .call(Panache::flush)
                  .call(
                      () ->
                          audit.record(
                              "connection.update",
                              "connection",
                              c.id,
                              before,
                              ConnectionView.of(c)))
                  .replaceWith(c);
            });
  }

  public Uni<Void> delete(UUID id, String ifMatch) {
    return connections
        .get(id)
        .chain(
            c -> {
              ETags.requireMatch(ifMatch, c.version, "Connection " + id);
              ConnectionView before = ConnectionView.of(c);
              return c.delete()
                  .call(Panache::flush)
                  .call(() -> audit.record("connection.delete", "connection", c.id, before, null));
            });
  }

  private static void rejectInconsistent(ConnectionInput input) {
    List<FieldError> problems = ConnectionChecks.problems(input);
    if (!problems.isEmpty()) {
      throw Problem.invalid(problems);
    }
  }

  /**
   * Checks the references of the input against the tenant's other objects and returns the names of
   * the agents that serve the connection.
   */
  private Uni<String> resolve(ConnectionInput input, UUID self) {
    Uni<Void> policy =
        input.policyId() == null
            ? Uni.createFrom().voidItem()
            : policies
                .find(input.policyId())
                .invoke(
                    found -> {
                      if (found.isEmpty()) {
                        throw Problem.invalidField(
                            "policyId", "no policy with this id; create the policy first");
                      }
                    })
                .replaceWithVoid();
    return policy
        .chain(() -> agentNames(input.agents()))
        .call(
            names ->
                connections
                    .onPort(input.listenPort())
                    .invoke(
                        samePort ->
                            ConnectionChecks.portConflict(samePort, self, agentList(names))
                                .ifPresent(
                                    other -> {
                                      throw Problem.conflict(
                                          "Port "
                                              + input.listenPort()
                                              + " is already used by connection '"
                                              + other.name
                                              + "' on the same agent; choose another listenPort"
                                              + " or serve the two from different agents.");
                                    })));
  }

  /** The agents given by name or id, as sorted names; unknown ones are a 400 naming them. */
  private Uni<String> agentNames(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      return Uni.createFrom().item("");
    }
    return agents
        .listAll("e.name")
        .map(
            all -> {
              TreeSet<String> names = new TreeSet<>();
              List<String> unknown = new ArrayList<>();
              for (String wanted : requested) {
                all.stream()
                    .filter(a -> a.revokedAt == null)
                    .filter(a -> a.name.equals(wanted) || a.id.toString().equals(wanted))
                    .map(a -> a.name)
                    .findFirst()
                    .ifPresentOrElse(names::add, () -> unknown.add(wanted));
              }
              if (!unknown.isEmpty()) {
                throw Problem.invalidField(
                    "agents",
                    "no active agent named or with id "
                        + String.join(", ", unknown)
                        + "; register it first or leave agents empty for all agents");
              }
              return String.join(",", names);
            });
  }

  private static List<String> agentList(String names) {
    return names.isEmpty() ? List.of() : List.of(names.split(","));
  }

  private static Problem nameTaken(String name) {
    return Problem.conflict(
        "A connection named '" + name + "' exists already; choose another name.");
  }

  private static void apply(Connection c, ConnectionInput in, String agentNames) {
    c.name = in.name();
    c.kind = in.kind();
    c.listenHost = in.listenHost() == null ? "127.0.0.1" : in.listenHost();
    c.listenPort = in.listenPort();
    c.target = in.target();
    c.database = in.database();
    c.username = in.username();
    c.secretRef = in.secretRef();
    c.upstreamTls = in.upstreamTls() == null ? "verify-full" : in.upstreamTls();
    c.policyId = in.policyId();
    c.recordingMode = in.recordingMode() == null ? "best-effort" : in.recordingMode();
    c.offlineMode = in.offlineMode() == null ? "fail-closed" : in.offlineMode();
    c.allowPlaintextGrant = Boolean.TRUE.equals(in.allowPlaintextGrant());
    c.credentialStyle = in.credentialStyle();
    c.options = in.options() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(in.options());
    c.agentNames = agentNames;
    c.updatedAt = OffsetDateTime.now();
  }
}
