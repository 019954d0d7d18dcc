package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ApprovalEvents;
import dev.ward.agent.protocol.ApprovalHold;
import dev.ward.agent.protocol.HoldOutcome;
import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.Verdict;
import dev.ward.agent.session.RecordedSession;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.GuardrailDecision;
import dev.ward.proto.recording.v1.MaskingEntry;
import dev.ward.proto.recording.v1.MaskingManifest;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.Statement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An authenticated session: relays messages between client and upstream, unchanged and as slices
 * unless policy refuses a statement or rewrites a row, records every statement, and applies
 * backpressure so neither side can make the agent buffer without bound. A statement held for
 * approval waits here, with everything the client sends after it, until the hold ends; no thread
 * waits with it. When masking rules name tables, a result whose tables are not yet known waits (the
 * upstream paused) while their names are read from the catalog.
 */
final class SessionRelay {

  /**
   * Where the names of the session's tables come from.
   *
   * @param names the listener's cache
   * @param database the upstream database of the session
   * @param sideConnection opens a side connection to read the catalog
   */
  record Catalog(
      TableNames names, String database, Supplier<Future<UpstreamLogin.Link>> sideConnection) {}

  private static final Logger LOG = System.getLogger(SessionRelay.class.getName());

  /** Most bytes a client may send behind a held statement before the session is ended. */
  static final long MAX_DEFERRED_BYTES = 16L << 20;

  private static final int MAX_HELD_STATEMENTS = 1_000;

  private final SessionSetup setup;
  private final NetSocket client;
  private final NetSocket upstream;
  private final MessageFramer clientFramer;
  private final MessageFramer upstreamFramer;
  private final RecordedSession recording;
  private final PolicyGate gate;
  private final CancelKeys.Entry cancelKey;
  private final StatementTracker tracker;
  private final Outbox toClient = new Outbox();
  private final Outbox toUpstream = new Outbox();
  private final Context eventLoop = Vertx.currentContext();
  private final Runnable closer = () -> eventLoop.runOnContext(v -> end("agent-shutdown"));
  private final ArrayDeque<Buffer> deferred = new ArrayDeque<>();
  private long deferredBytes;
  // prepared statements that policy holds: their Executes wait for approval
  private final Map<String, Verdict> heldStatements =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
          return size() > MAX_HELD_STATEMENTS;
        }
      };
  private ApprovalHold hold;
  private final Catalog catalog;
  private boolean readingCatalog;
  private boolean discardUntilSync;
  private boolean terminated;
  private boolean ended;
  // the upstream said why it ends the session (e.g. 57P01 when it shuts down)
  private boolean upstreamSentFatal;

  SessionRelay(
      SessionSetup setup,
      NetSocket client,
      MessageFramer clientFramer,
      UpstreamLogin.Link link,
      RecordedSession recording,
      PolicyGate gate,
      CancelKeys.Entry cancelKey,
      Catalog catalog) {
    this.setup = setup;
    this.client = client;
    this.upstream = link.socket();
    this.clientFramer = clientFramer;
    this.upstreamFramer = link.framer();
    this.recording = recording;
    this.gate = gate;
    this.cancelKey = cancelKey;
    this.tracker = new StatementTracker(this::record, toClient::add, gate::results);
    this.catalog = gate.needsTableNames() ? catalog : null;
    if (this.catalog != null) {
      tracker.tables(catalog.names().in(catalog.database()));
    }
    for (Buffer status : link.parameterStatuses()) {
      noteParameter(status);
    }
  }

  void start() {
    setup.sessions().add(closer);
    setup.cancelKeys().onCancel(cancelKey, () -> eventLoop.runOnContext(v -> cancelHold()));
    clientFramer.maxLength(setup.context().limits().maxMessage());
    client.handler(this::fromClient);
    upstream.handler(this::fromUpstream);
    client.closeHandler(v -> end(terminated ? "normal" : "client-disconnect"));
    upstream.closeHandler(v -> end(terminated ? "normal" : "upstream-error"));
    client.exceptionHandler(e -> end("client-disconnect"));
    upstream.exceptionHandler(e -> end("upstream-error"));
    // bytes that followed the login on either side wait in the framers
    guarded(() -> upstreamFramer.drain(this::upstreamMessage), "upstream");
    guarded(() -> clientFramer.drain(this::clientMessage), "client");
    flush();
    upstream.resume();
    client.resume();
  }

  // ---- client to upstream ----

  private void fromClient(Buffer chunk) {
    guarded(() -> clientFramer.feed(chunk, this::clientMessage), "client");
    flush();
  }

  private boolean clientMessage(byte type, Buffer message) {
    if (hold != null) {
      defer(message);
      return true;
    }
    if (discardUntilSync && type != 'S' && type != 'X') {
      return true;
    }
    switch (type) {
      case 'Q' -> {
        String text = Wire.string(message, 5, tracker.charset());
        Verdict verdict = gate.inspect("simple", text, List.of());
        if (verdict.action() == Verdict.Action.HOLD) {
          startHold(
              verdict,
              new Operation("simple", text, List.of()),
              () -> tracker.statement(text, "simple"),
              true,
              () -> {
                tracker.query(text, message.length());
                toUpstream.add(message);
              });
          return true;
        }
        if (!verdict.allowed()) {
          refuse(verdict, tracker.statement(text, "simple"), true);
          return true;
        }
        tracker.query(text, message.length());
      }
      case 'P' -> {
        int nameEnd = Wire.endOfString(message, 5);
        String name = new String(message.getBytes(5, nameEnd), tracker.charset());
        String text = Wire.string(message, nameEnd + 1, tracker.charset());
        Verdict verdict = gate.inspect("extended", text, List.of());
        heldStatements.remove(name);
        if (verdict.action() == Verdict.Action.HOLD) {
          // parameters arrive with Bind: the hold happens at Execute, when they are known
          heldStatements.put(name, verdict);
        } else if (!verdict.allowed()) {
          refuse(verdict, tracker.statement(text, "extended").setStatementName(name), false);
          discardUntilSync = true;
          return true;
        }
        tracker.parse(
            name, text, parameterTypes(message, Wire.endOfString(message, nameEnd + 1) + 1));
      }
      case 'B' -> bind(message);
      case 'D' -> {
        Wire.require(message, 5, 1);
        tracker.describe(
            (char) message.getByte(5), Wire.string(message, 6, tracker.charset()), false);
      }
      case 'E' -> {
        String portal = Wire.string(message, 5, tracker.charset());
        StatementTracker.BoundPortal bound = tracker.boundPortal(portal);
        Verdict held = bound == null ? null : heldStatements.get(bound.statementName());
        if (held != null) {
          startHold(
              held,
              new Operation("extended", bound.text(), bound.parameters()),
              () ->
                  tracker
                      .statement(bound.text(), "extended")
                      .setPortalName(portal)
                      .setStatementName(bound.statementName())
                      .addAllParameters(bound.parameters()),
              false,
              () -> execute(portal, message));
          return true;
        }
        execute(portal, message);
        return true;
      }
      case 'C' -> {
        Wire.require(message, 5, 1);
        if (message.getByte(5) == 'S') {
          heldStatements.remove(Wire.string(message, 6, tracker.charset()));
        }
        tracker.close((char) message.getByte(5), Wire.string(message, 6, tracker.charset()));
      }
      case 'S' -> {
        discardUntilSync = false;
        tracker.sync();
      }
      case 'F' -> {
        Wire.require(message, 5, 4);
        int oid = message.getInt(5);
        Verdict verdict = gate.inspect("function-call", "function " + oid, List.of());
        if (!verdict.allowed()) {
          refuse(verdict, tracker.statement("function " + oid, "function-call"), true);
          return true;
        }
        tracker.functionCall(oid, message.length());
      }
      case 'd' -> tracker.copyFromClient(message.length());
      case 'X' -> terminated = true;
      default -> {}
    }
    clientFramer.forward(message, toUpstream);
    return true;
  }

  private void execute(String portal, Buffer message) {
    if (gate.inspectsResults() && !tracker.knowsColumns(portal)) {
      // policy must see the columns of every result, even when the client did not ask
      toUpstream.add(FrontendMessages.describePortal(portal));
      tracker.describe('P', portal, true);
    }
    tracker.execute(portal, message.length());
    toUpstream.add(message);
  }

  // ---- approval holds ----

  /**
   * Holds a statement until approvers decide: the client is told the request id and link at once,
   * and everything it sends meanwhile waits behind the statement, in order.
   *
   * @param statement the statement record, for a refusal
   * @param simple simple query (a refusal ends with ReadyForQuery) or extended (waits for Sync)
   * @param forward sends the statement upstream once approved
   */
  private void startHold(
      Verdict verdict,
      Operation operation,
      java.util.function.Supplier<Statement.Builder> statement,
      boolean simple,
      Runnable forward) {
    ApprovalHold h = gate.hold(operation, verdict);
    if (h == null) {
      gate.holdRefused();
      refuse(verdict, statement.get(), simple);
      discardUntilSync = !simple;
      return;
    }
    var done = h.outcome().toCompletableFuture();
    if (done.isDone() && !done.isCompletedExceptionally()) {
      HoldOutcome outcome = done.join();
      recordApproval(h, outcome.state().recorded(), outcome);
      if (outcome.approved()) {
        forward.run();
      } else {
        refuseHeld(verdict, h, outcome, statement.get(), simple);
      }
      return;
    }
    recordApproval(h, "requested", null);
    toClient.add(PolicyGate.holdNotice(verdict, h));
    hold = h;
    client.pause();
    h.outcome()
        .whenComplete(
            (outcome, error) ->
                eventLoop.runOnContext(
                    v ->
                        release(
                            h,
                            error == null
                                ? outcome
                                : new HoldOutcome(
                                    HoldOutcome.State.WITHDRAWN, "", "Ward failed to wait", 0),
                            verdict,
                            statement,
                            simple,
                            forward)));
  }

  private void release(
      ApprovalHold h,
      HoldOutcome outcome,
      Verdict verdict,
      java.util.function.Supplier<Statement.Builder> statement,
      boolean simple,
      Runnable forward) {
    if (ended || hold != h) {
      return;
    }
    hold = null;
    recordApproval(h, outcome.state().recorded(), outcome);
    guarded(
        () -> {
          if (outcome.approved()) {
            forward.run();
          } else {
            refuseHeld(verdict, h, outcome, statement.get(), simple);
          }
          while (hold == null && !deferred.isEmpty() && !ended) {
            Buffer next = deferred.poll();
            deferredBytes -= next.length();
            clientMessage(next.getByte(0), next);
          }
        },
        "client");
    flush();
    if (hold == null && !ended) {
      client.resume();
    }
  }

  private void refuseHeld(
      Verdict verdict,
      ApprovalHold h,
      HoldOutcome outcome,
      Statement.Builder statement,
      boolean simple) {
    gate.holdRefused();
    Buffer error = PolicyGate.holdRefusal(verdict, h.requestId(), outcome);
    String why =
        outcome.state().recorded()
            + (outcome.decidedBy().isEmpty() ? "" : " by " + outcome.decidedBy())
            + (outcome.reason().isEmpty() ? "" : ": " + outcome.reason());
    statement
        .setSqlstate(
            outcome.state() == HoldOutcome.State.WITHDRAWN
                ? PolicyGate.QUERY_CANCELED
                : PolicyGate.INSUFFICIENT_PRIVILEGE)
        .setErrorMessage("approval request " + h.requestId() + " " + why);
    tracker.refused(statement, verdict, error, simple);
    discardUntilSync = !simple;
  }

  private void defer(Buffer message) {
    deferredBytes += message.length();
    if (deferredBytes > MAX_DEFERRED_BYTES) {
      throw new ProtocolViolation(
          "more than "
              + (MAX_DEFERRED_BYTES >> 20)
              + " MiB sent behind a statement held for approval");
    }
    deferred.add(message.copy());
  }

  /** A CancelRequest for this session: withdraws the held statement, if any. */
  private void cancelHold() {
    ApprovalHold h = hold;
    if (h != null && !ended) {
      h.withdraw("cancelled by the client");
    }
  }

  private void recordApproval(ApprovalHold h, String state, HoldOutcome outcome) {
    recording.append(ApprovalEvents.of(h, state, outcome));
  }

  private static int[] parameterTypes(Buffer message, int pos) {
    Wire.require(message, pos, 2);
    int count = message.getUnsignedShort(pos);
    Wire.require(message, pos + 2, count * 4);
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      types[i] = message.getInt(pos + 2 + 4 * i);
    }
    return types;
  }

  private void bind(Buffer message) {
    int portalEnd = Wire.endOfString(message, 5);
    String portal = new String(message.getBytes(5, portalEnd), tracker.charset());
    int statementEnd = Wire.endOfString(message, portalEnd + 1);
    String statement = new String(message.getBytes(portalEnd + 1, statementEnd), tracker.charset());
    int pos = statementEnd + 1;
    Wire.require(message, pos, 2);
    int formatCount = message.getUnsignedShort(pos);
    pos += 2;
    Wire.require(message, pos, formatCount * 2 + 2);
    short[] formats = new short[formatCount];
    for (int i = 0; i < formatCount; i++) {
      formats[i] = message.getShort(pos + 2 * i);
    }
    pos += formatCount * 2;
    int count = message.getUnsignedShort(pos);
    pos += 2;
    List<String> parameters = new ArrayList<>(Math.min(count, StatementTracker.MAX_PARAMETERS));
    int[] types = tracker.parameterTypes(statement);
    for (int i = 0; i < count; i++) {
      Wire.require(message, pos, 4);
      int length = message.getInt(pos);
      pos += 4;
      if (length < -1) {
        throw new ProtocolViolation("invalid parameter length in Bind");
      }
      if (length >= 0) {
        Wire.require(message, pos, length);
      }
      if (i < StatementTracker.MAX_PARAMETERS) {
        boolean binary = formatCount == 1 ? formats[0] == 1 : formatCount > i && formats[i] == 1;
        int type = i < types.length ? types[i] : 0;
        parameters.add(
            BoundParameter.describe(message, pos, length, binary, type, tracker.charset()));
      }
      pos += Math.max(0, length);
    }
    Wire.require(message, pos, 2);
    int resultCount = message.getUnsignedShort(pos);
    pos += 2;
    Wire.require(message, pos, resultCount * 2);
    short[] resultFormats = new short[resultCount];
    for (int i = 0; i < resultCount; i++) {
      resultFormats[i] = message.getShort(pos + 2 * i);
    }
    tracker.bind(portal, statement, parameters, resultFormats);
  }

  private void refuse(Verdict verdict, Statement.Builder statement, boolean readyForQuery) {
    Buffer error = PolicyGate.refusal(verdict);
    statement.setSqlstate(PolicyGate.INSUFFICIENT_PRIVILEGE).setErrorMessage(verdict.reason());
    tracker.refused(statement, verdict, error, readyForQuery);
  }

  // ---- upstream to client ----

  private void fromUpstream(Buffer chunk) {
    if (readingCatalog) {
      // a pause takes effect after the chunk in hand: keep the bytes for after the lookup
      upstream.pause();
      upstreamFramer.append(chunk);
      return;
    }
    guarded(() -> upstreamFramer.feed(chunk, this::upstreamMessage), "upstream");
    flush();
  }

  private boolean upstreamMessage(byte type, Buffer message) {
    if (type == 'T' && catalog != null) {
      Set<Integer> missing =
          catalog.names().missing(catalog.database(), RowDescription.tableOids(message));
      if (!missing.isEmpty()) {
        readCatalog(message.copy(), missing);
        return false;
      }
    }
    if (type == 'D') {
      RowRewriter rewriter = tracker.currentRewriter();
      tracker.onBackend(type, message);
      Buffer row = rewriter == null ? message : gate.rewrite(message, rewriter, tracker.charset());
      tracker.sample(row);
      if (row == message) {
        upstreamFramer.forward(message, toClient);
      } else {
        toClient.add(row);
      }
      return true;
    }
    if (type == 'S') {
      noteParameter(message);
    }
    if (type == 'E' && BackendMessages.isFatal(message)) {
      upstreamSentFatal = true;
    }
    if (tracker.onBackend(type, message)) {
      upstreamFramer.forward(message, toClient);
    }
    tracker.flushSynthetic();
    return true;
  }

  /**
   * Pauses the upstream while the catalog names the tables of a RowDescription, then passes it on
   * and whatever followed it.
   */
  private void readCatalog(Buffer rowDescription, Set<Integer> tables) {
    readingCatalog = true;
    upstream.pause();
    catalog
        .names()
        .load(
            setup.context().vertx(),
            catalog.database(),
            tables,
            catalog.sideConnection(),
            setup.context().limits().upstreamConnectTimeout())
        .onComplete(
            done ->
                eventLoop.runOnContext(
                    v -> {
                      readingCatalog = false;
                      if (ended) {
                        return;
                      }
                      guarded(
                          () -> {
                            if (upstreamMessage((byte) 'T', rowDescription)) {
                              upstreamFramer.drain(this::upstreamMessage);
                            }
                          },
                          "upstream");
                      flush();
                      if (!readingCatalog && !ended && !client.writeQueueFull()) {
                        upstream.resume();
                      }
                    }));
  }

  private void noteParameter(Buffer status) {
    int nameEnd = Wire.endOfString(status, 5);
    String name = new String(status.getBytes(5, nameEnd), StandardCharsets.US_ASCII);
    if (name.equals("client_encoding")) {
      tracker.charset(
          ClientEncoding.charset(Wire.string(status, nameEnd + 1, StandardCharsets.US_ASCII)));
    }
  }

  // ---- writing, backpressure, ending ----

  private void flush() {
    if (ended) {
      return;
    }
    // Writes without a completion handler: no promise per write; a failed write closes the
    // socket, which ends the session through its close handler.
    if (!toUpstream.isEmpty()) {
      upstream.write(toUpstream.take(), null);
      if (upstream.writeQueueFull()) {
        client.pause();
        upstream.drainHandler(
            v -> {
              if (hold == null) {
                client.resume();
              }
            });
      }
    }
    if (!toClient.isEmpty()) {
      client.write(toClient.take(), null);
      if (client.writeQueueFull()) {
        upstream.pause();
        client.drainHandler(v -> upstream.resume());
      }
    }
  }

  private void guarded(Work work, String side) {
    if (ended) {
      return;
    }
    try {
      work.run();
    } catch (ProtocolViolation e) {
      LOG.log(Level.INFO, "Protocol violation by the {0}: {1}", side, e.getMessage());
      flush();
      Buffer error =
          BackendMessages.error(
              "FATAL",
              "08P01",
              side.equals("client")
                  ? "Ward could not read the client's message: " + e.getMessage()
                  : "Ward could not read the upstream database's answer: " + e.getMessage(),
              "");
      client.write(error);
      end("protocol-error");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Unexpected failure relaying a PostgreSQL session", e);
      client.write(
          BackendMessages.error(
              "FATAL", "XX000", "Ward hit an internal error and closed the session", ""));
      end("protocol-error");
    }
  }

  @FunctionalInterface
  private interface Work {
    void run();
  }

  /**
   * Records a statement, then what masking changed in its results (pointing at the statement's
   * sequence number) and, for a refused statement, the guardrail decision.
   */
  private void record(StatementTracker.Finished finished) {
    Statement.Builder statement = finished.statement();
    long seq = recording.append(Event.newBuilder().setStatement(statement));
    if (!finished.masked().isEmpty() && seq > 0) {
      MaskingManifest.Builder manifest = MaskingManifest.newBuilder().setEventSeq(seq);
      for (MaskedCells cells : finished.masked()) {
        manifest.addEntries(
            MaskingEntry.newBuilder()
                .setRule(cells.rule())
                .setLocation(cells.column())
                .setCount(cells.count())
                .setStrategy(cells.strategy()));
      }
      recording.append(Event.newBuilder().setMasking(manifest));
    }
    Verdict verdict = finished.refusal();
    if (verdict != null) {
      recording.append(
          Event.newBuilder()
              .setGuardrail(
                  GuardrailDecision.newBuilder()
                      .setRule(verdict.rule())
                      .setAction(verdict.action().name().toLowerCase(Locale.ROOT))
                      .setReason(verdict.reason())
                      .setOperation(statement.getText())));
    }
  }

  private void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    ApprovalHold h = hold;
    if (h != null) {
      hold = null;
      String why =
          reason.equals("client-disconnect")
              ? "the client disconnected"
              : "the session ended (" + reason + ")";
      h.withdraw(why);
      recordApproval(h, "withdrawn", new HoldOutcome(HoldOutcome.State.WITHDRAWN, "", why, 0));
    }
    setup.sessions().remove(closer);
    setup.cancelKeys().remove(cancelKey);
    recording.close(
        SessionEnd.newBuilder()
            .setReason(reason)
            .setStatementCount(tracker.statementCount())
            .setMaskedCount(gate.maskedCount())
            .setBlockedCount(gate.blockedCount())
            .build());
    if (reason.equals("agent-shutdown")) {
      client.write(
          BackendMessages.error(
              "FATAL", "57P01", "Ward is shutting down this connection", "Reconnect in a moment."));
    } else if (reason.equals("upstream-error") && !upstreamSentFatal) {
      // The database went away without a word (crash, network cut): say so in protocol terms.
      client.write(
          BackendMessages.error(
              "FATAL",
              "08006",
              "Ward lost the connection to the upstream database",
              "The database may be restarting. Reconnect in a moment; if the statement was not"
                  + " answered, check whether it ran before retrying it."));
    }
    client.end();
    if (!terminated && !reason.equals("upstream-error")) {
      upstream.write(FrontendMessages.terminate());
    }
    upstream.end();
  }
}
