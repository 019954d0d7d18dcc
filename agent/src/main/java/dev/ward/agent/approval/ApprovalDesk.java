package dev.ward.agent.approval;

import dev.ward.agent.config.EnforcedConfig;
import dev.ward.agent.protocol.ApprovalHold;
import dev.ward.agent.protocol.HoldOutcome;
import dev.ward.agent.protocol.HoldOutcome.State;
import dev.ward.agent.protocol.Operation;
import dev.ward.policy.guardrails.ApprovalRequirement;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.channel.v1.ApprovalWithdrawn;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.recording.v1.SessionStart;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The agent's side of approvals: every held operation becomes an {@link ApprovalRequest} to the
 * control plane and waits here, without a thread, for its {@link ApprovalDecision}, its timeout or
 * the client giving up. A decision releases only the hold whose operation hash it names. Requests
 * and withdrawals wait in a bounded queue while the channel is down and every pending request is
 * sent again after a reconnect (the control plane records each request once). Approvers' time boxes
 * are enforced here.
 */
public final class ApprovalDesk implements EnforcedConfig.Stage {

  /** Where messages go; {@code ControlPlaneChannel::send} fits. */
  @FunctionalInterface
  public interface Upstream {
    /** Sends the message if the channel is open; returns whether it was sent. */
    boolean send(AgentMessage message);
  }

  static final int QUEUE_LIMIT = 10_000;
  static final int MAX_PENDING = 10_000;
  static final int MAX_OPERATION_TEXT = 8 * 1024;

  private static final Logger LOG = System.getLogger(ApprovalDesk.class.getName());

  private final Vertx vertx;
  private final Upstream upstream;
  private final LongSupplier clock;
  private final Map<String, Held> pending = new ConcurrentHashMap<>();
  private final ArrayDeque<AgentMessage> queue = new ArrayDeque<>();
  private final TimeBoxes timeBoxes = new TimeBoxes();
  private volatile String consoleUrl = "";

  public ApprovalDesk(Vertx vertx, Upstream upstream, LongSupplier clock) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.clock = clock;
  }

  public ApprovalDesk(Vertx vertx, Upstream upstream) {
    this(vertx, upstream, System::currentTimeMillis);
  }

  /** Takes the console URL from each snapshot; a snapshot also means the channel is (back) up. */
  @Override
  public CompletionStage<Void> apply(ConfigSnapshot snapshot) {
    String url = snapshot.getConsoleUrl();
    consoleUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    resendPending();
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Holds an operation of a session for approval, or lets it through at once when a time box of the
   * same engineer on the same connection is open.
   *
   * @param start the session, as recorded
   * @param operation what is held, with its parameters
   * @param rule the policy rule that holds it
   * @param reason the rule's reason
   * @param route who may approve, how many, how long it waits
   */
  public ApprovalHold request(
      SessionStart start,
      Operation operation,
      String rule,
      String reason,
      ApprovalRequirement route) {
    String subject = start.getIdentity().getSubject();
    String hash = OperationHash.of(operation.text(), operation.parameters());
    long now = clock.getAsLong();
    long box = timeBoxes.activeUntil(subject, start.getConnectionId(), now);
    if (box > 0) {
      return Held.settled(hash, new HoldOutcome(State.TIME_BOX_USED, "", "", box));
    }
    if (pending.size() >= MAX_PENDING) {
      return Held.settled(
          hash,
          new HoldOutcome(State.DENIED, "", "too many operations await approval on this agent", 0));
    }
    String id = UUID.randomUUID().toString();
    long expires = now + route.timeout().toMillis();
    ApprovalRequest request =
        ApprovalRequest.newBuilder()
            .setRequestId(id)
            .setSessionId(start.getSessionId())
            .setConnectionId(start.getConnectionId())
            .setConnectionName(start.getConnectionName())
            .setSubject(subject)
            .setEmail(start.getIdentity().getEmail())
            .setActor(start.getIdentity().getActor())
            .setKind(start.getProtocol())
            .setOperation(describe(operation))
            .setOperationHash(hash)
            .setRule(rule)
            .setRuleReason(reason == null ? "" : reason)
            .setApproverGroup(route.approverGroups().getFirst())
            .addAllApproverGroups(route.approverGroups())
            .setMinApprovals(route.minApprovals())
            .setSelfApproval(route.selfApproval())
            .setMaxTimeBoxMillis(route.maxTimeBox().toMillis())
            .setExpiresUnixMillis(expires)
            .build();
    Held held = new Held(this, id, hash, link(id), request, subject, start.getConnectionId());
    pending.put(id, held);
    held.timer =
        vertx.setTimer(
            Math.max(1, route.timeout().toMillis()),
            t ->
                held.end(
                    new HoldOutcome(
                        State.EXPIRED,
                        "",
                        "no decision within " + minutes(route.timeout().toMillis()),
                        0),
                    "expired"));
    deliver(AgentMessage.newBuilder().setApprovalRequest(request).build());
    return held;
  }

  /** A decision from the control plane; releases the hold it names if the hash matches. */
  public void onDecision(ApprovalDecision decision) {
    Held held = pending.get(decision.getRequestId());
    if (held == null) {
      LOG.log(Level.DEBUG, "Decision for unknown approval request {0}", decision.getRequestId());
      return;
    }
    if (!held.hash.equals(decision.getOperationHash())) {
      LOG.log(
          Level.WARNING,
          "Ignoring a decision for approval request {0}: it names another operation",
          decision.getRequestId());
      return;
    }
    HoldOutcome outcome =
        switch (decision.getOutcome()) {
          case "approved" -> {
            long box = decision.getTimeBoxUntilUnixMillis();
            if (box > 0) {
              timeBoxes.grant(held.subject, held.connectionId, box, clock.getAsLong());
            }
            yield new HoldOutcome(State.APPROVED, decision.getDecidedBy(), "", box);
          }
          case "denied" ->
              new HoldOutcome(State.DENIED, decision.getDecidedBy(), decision.getReason(), 0);
          case "expired" ->
              new HoldOutcome(State.EXPIRED, "", "the request expired before a decision", 0);
          case "cancelled" ->
              new HoldOutcome(
                  State.WITHDRAWN,
                  decision.getDecidedBy(),
                  decision.getReason().isEmpty() ? "cancelled" : decision.getReason(),
                  0);
          default -> null;
        };
    if (outcome == null) {
      LOG.log(Level.WARNING, "Unknown approval outcome {0}", decision.getOutcome());
      return;
    }
    held.end(outcome, null);
  }

  /** Sends what waits in the queue, in order, until the channel refuses one. */
  public synchronized void flush() {
    while (!queue.isEmpty()) {
      if (!trySend(queue.peekFirst())) {
        return;
      }
      queue.pollFirst();
    }
  }

  /** How many operations wait for a decision. */
  public int pendingCount() {
    return pending.size();
  }

  /** How many messages wait for the channel. */
  public synchronized int queued() {
    return queue.size();
  }

  private void resendPending() {
    for (Held held : pending.values()) {
      deliver(AgentMessage.newBuilder().setApprovalRequest(held.request).build());
    }
  }

  private synchronized void deliver(AgentMessage message) {
    flush();
    if (queue.isEmpty() && trySend(message)) {
      return;
    }
    if (queue.size() >= QUEUE_LIMIT) {
      queue.pollFirst();
    }
    queue.addLast(message);
  }

  private boolean trySend(AgentMessage message) {
    try {
      return upstream.send(message);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String link(String id) {
    String base = consoleUrl;
    return base.isEmpty() ? "" : base + "/approvals/" + id;
  }

  private static String describe(Operation operation) {
    StringBuilder text = new StringBuilder(bounded(operation.text(), MAX_OPERATION_TEXT));
    List<String> parameters = operation.parameters();
    if (!parameters.isEmpty()) {
      text.append("\n-- parameters: ");
      for (int i = 0; i < parameters.size() && i < 32; i++) {
        text.append(i == 0 ? "" : ", ")
            .append('$')
            .append(i + 1)
            .append(" = ")
            .append(parameters.get(i) == null ? "NULL" : bounded(parameters.get(i), 256));
      }
    }
    return text.toString();
  }

  private static String bounded(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  static String minutes(long millis) {
    long seconds = Math.round(millis / 1000.0);
    return seconds % 60 == 0 && seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
  }

  /** One held operation. */
  private static final class Held implements ApprovalHold {
    private final ApprovalDesk desk;
    private final String id;
    private final String hash;
    private final String link;
    private final ApprovalRequest request;
    private final String subject;
    private final String connectionId;
    private final CompletableFuture<HoldOutcome> outcome = new CompletableFuture<>();
    private long timer = -1;

    Held(
        ApprovalDesk desk,
        String id,
        String hash,
        String link,
        ApprovalRequest request,
        String subject,
        String connectionId) {
      this.desk = desk;
      this.id = id;
      this.hash = hash;
      this.link = link;
      this.request = request;
      this.subject = subject;
      this.connectionId = connectionId;
    }

    static Held settled(String hash, HoldOutcome outcome) {
      Held held = new Held(null, "", hash, "", null, "", "");
      held.outcome.complete(outcome);
      return held;
    }

    @Override
    public String requestId() {
      return id;
    }

    @Override
    public String operationHash() {
      return hash;
    }

    @Override
    public String link() {
      return link;
    }

    @Override
    public CompletionStage<HoldOutcome> outcome() {
      return outcome;
    }

    @Override
    public void withdraw(String reason) {
      end(new HoldOutcome(State.WITHDRAWN, "", reason, 0), reason);
    }

    /**
     * Ends the hold once; tells the control plane when the agent ended it.
     *
     * @param withdrawal the reason sent to the control plane, or null when the control plane
     *     decided
     */
    void end(HoldOutcome result, String withdrawal) {
      if (desk == null || desk.pending.remove(id, this) == false) {
        return;
      }
      if (timer >= 0) {
        desk.vertx.cancelTimer(timer);
      }
      if (withdrawal != null) {
        desk.deliver(
            AgentMessage.newBuilder()
                .setApprovalWithdrawn(
                    ApprovalWithdrawn.newBuilder().setRequestId(id).setReason(withdrawal))
                .build());
      }
      outcome.complete(result);
    }
  }
}
