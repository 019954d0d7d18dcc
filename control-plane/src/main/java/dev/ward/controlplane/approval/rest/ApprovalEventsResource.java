package dev.ward.controlplane.approval.rest;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The tenant's approval requests as they change, as server-sent events, for the console's inbox:
 * every request that was raised or decided since the last look, checked every two seconds (one
 * indexed query per open inbox), and a heartbeat every fifteen seconds so proxies keep the stream.
 */
@Path("/api/v1/approvals/events")
@RolesAllowed({Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR})
public class ApprovalEventsResource {

  static final Duration EVERY = Duration.ofSeconds(2);
  static final int HEARTBEAT_TICKS = 7;
  static final int MAX_PER_TICK = 100;

  private final Pool pool;
  private final TenantScope scope;

  public ApprovalEventsResource(Pool pool, TenantScope scope) {
    this.pool = pool;
    this.scope = scope;
  }

  /**
   * One change: the request with its state now. A heartbeat has only {@code heartbeat: true}.
   *
   * @param heartbeat whether this only keeps the stream open
   */
  public record ApprovalChange(
      boolean heartbeat,
      UUID id,
      String state,
      String subject,
      String email,
      String actor,
      String rule,
      OffsetDateTime requestedAt,
      OffsetDateTime decidedAt,
      String decidedBy) {

    static final ApprovalChange HEARTBEAT =
        new ApprovalChange(true, null, null, null, null, null, null, null, null, null);
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  public Multi<ApprovalChange> events() {
    // the tenant is read now: the stream outlives the request's scope
    UUID tenant = scope.tenantId();
    OffsetDateTime[] since = {null};
    long[] quiet = {0};
    return Multi.createFrom()
        .ticks()
        .startingAfter(Duration.ofMillis(1))
        .every(EVERY)
        .onOverflow()
        .drop()
        .onItem()
        .transformToUniAndConcatenate(
            tick ->
                changes(tenant, since)
                    .map(
                        list -> {
                          if (!list.isEmpty()) {
                            quiet[0] = 0;
                            return list;
                          }
                          return ++quiet[0] % HEARTBEAT_TICKS == 0
                              ? List.of(ApprovalChange.HEARTBEAT)
                              : List.<ApprovalChange>of();
                        }))
        .onItem()
        .transformToMultiAndConcatenate(list -> Multi.createFrom().iterable(list));
  }

  /**
   * Requests raised or decided after {@code since[0]}; the first look sets the mark and answers
   * with a heartbeat.
   */
  private Uni<List<ApprovalChange>> changes(UUID tenant, OffsetDateTime[] since) {
    if (since[0] == null) {
      return pool.query("SELECT now()")
          .execute()
          .map(
              rows -> {
                since[0] = rows.iterator().next().getOffsetDateTime(0);
                // a first heartbeat at once, so clients see the stream open
                return List.of(ApprovalChange.HEARTBEAT);
              });
    }
    return pool.preparedQuery(
            "SELECT id, state, subject, email, actor, rule, requested_at, decided_at, decided_by,"
                + " now() AS seen FROM approvals WHERE tenant_id = $1"
                + " AND (requested_at > $2 OR decided_at > $2)"
                + " ORDER BY greatest(requested_at, coalesce(decided_at, requested_at)) LIMIT $3")
        .execute(Tuple.of(tenant, since[0], MAX_PER_TICK))
        .map(
            rows -> {
              List<ApprovalChange> out = new ArrayList<>();
              OffsetDateTime latest = since[0];
              for (Row r : rows) {
                OffsetDateTime requested = r.getOffsetDateTime("requested_at");
                OffsetDateTime decided = r.getOffsetDateTime("decided_at");
                out.add(
                    new ApprovalChange(
                        false,
                        r.getUUID("id"),
                        r.getString("state"),
                        r.getString("subject"),
                        r.getString("email"),
                        r.getString("actor"),
                        r.getString("rule"),
                        requested,
                        decided,
                        r.getString("decided_by")));
                OffsetDateTime changed =
                    decided != null && decided.isAfter(requested) ? decided : requested;
                if (changed.isAfter(latest)) {
                  latest = changed;
                }
              }
              since[0] = latest;
              return out;
            });
  }
}
