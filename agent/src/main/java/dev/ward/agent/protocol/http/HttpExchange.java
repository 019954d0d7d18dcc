package dev.ward.agent.protocol.http;

import com.google.protobuf.ByteString;
import dev.ward.agent.protocol.ApprovalEvents;
import dev.ward.agent.protocol.ApprovalHold;
import dev.ward.agent.protocol.HoldOutcome;
import dev.ward.agent.protocol.MaskingTally;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.proto.recording.v1.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.function.Predicate;

/**
 * One HTTP request through the agent and its response: what a protocol's {@link ExchangeHandler}
 * works with. It reads as much of the request body as the handler asks (bounded), forwards the
 * request with the upstream credential in place of the grant, streams the response back (masking
 * JSON, text and server-sent events on the way), and records the exchange once it is over. Methods
 * are called on the request's event loop.
 */
public final class HttpExchange {

  private final GatewaySetup setup;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final HttpSession session;
  private final Exchange.Builder record = Exchange.newBuilder();
  private final MaskingTally tally = new MaskingTally();
  private final BodyCapture requestBody;
  private final BodyCapture responseBody;
  private final long startNanos = System.nanoTime();
  private long responseBytes;
  private Handler<Buffer> sink;
  private Runnable endSink;
  private boolean requestEnded;
  private boolean tooLarge;
  private HttpClientRequest upstream;
  private Verdict refusal;
  private boolean finished;
  private boolean bodyReplaced;
  private int replacedLength;
  private long firstEventNanos;
  private Runnable beforeRecord;
  private ApprovalHold held;
  private final java.util.List<dev.ward.proto.recording.v1.Event.Builder> extraEvents =
      new java.util.ArrayList<>();

  HttpExchange(GatewaySetup setup, HttpServerRequest request, HttpSession session) {
    this.setup = setup;
    this.request = request;
    this.response = request.response();
    this.session = session;
    this.requestBody = new BodyCapture(setup.limits().recordedBody());
    this.responseBody = new BodyCapture(setup.limits().recordedBody());
    record.setMethod(request.method().name()).setPath(bounded(request.uri(), 4096));
    request.handler(this::onRequestChunk);
    request.endHandler(v -> onRequestEnd());
    request.exceptionHandler(e -> abort());
    response.closeHandler(v -> abort());
  }

  /** The client's request; its body is read through this exchange, not directly. */
  public HttpServerRequest request() {
    return request;
  }

  /** The policy of the session the exchange belongs to. */
  public SessionPolicy policy() {
    return session.policy();
  }

  /** The session the exchange belongs to. */
  public HttpSession session() {
    return session;
  }

  /** The exchange's recording event, for a handler to add what it learned (ref updates, tool). */
  public Exchange.Builder record() {
    return record;
  }

  /** The connection's bounds. */
  public HttpLimits limits() {
    return setup.limits();
  }

  /** The tally of what masking changed in this exchange, for handlers that mask themselves. */
  public MaskingTally tally() {
    return tally;
  }

  // ---- reading the request body ------------------------------------------------------------

  /**
   * Reads the whole request body, at most {@link HttpLimits#maxBufferedBody} bytes; a larger body
   * is answered with 413 and the future fails.
   */
  public Future<Buffer> readBody() {
    return readUntil(b -> false);
  }

  /**
   * Reads the request body until {@code complete} holds for what was read so far, or the body ends;
   * what was read is then {@link #forward forwarded} first and the rest streams after it. More than
   * {@link HttpLimits#maxBufferedBody} bytes without completing is answered with 413.
   */
  public Future<Buffer> readUntil(Predicate<Buffer> complete) {
    Promise<Buffer> read = Promise.promise();
    Buffer collected = Buffer.buffer();
    int limit = setup.limits().maxBufferedBody();
    sink =
        chunk -> {
          collected.appendBuffer(chunk);
          if (collected.length() > limit) {
            sink = c -> {};
            endSink = null;
            fail(
                new Problem(
                    413,
                    "body-too-large",
                    "Request body too large",
                    "Ward reads at most " + limit + " bytes of this request to check it."));
            read.tryFail("request body over the bound");
          } else if (complete.test(collected)) {
            request.pause();
            sink = null;
            endSink = null;
            read.tryComplete(collected);
          }
        };
    endSink = () -> read.tryComplete(collected);
    if (requestEnded) {
      endSink.run();
    } else {
      request.resume();
    }
    return read.future();
  }

  /** Whether the whole request body has been read. */
  public boolean requestEnded() {
    return requestEnded;
  }

  private void onRequestChunk(Buffer chunk) {
    requestBody.add(chunk);
    if (requestBody.total() > setup.limits().maxRequestBody() && !tooLarge) {
      tooLarge = true;
      fail(
          new Problem(
              413,
              "body-too-large",
              "Request body too large",
              "This connection accepts request bodies of at most "
                  + setup.limits().maxRequestBody()
                  + " bytes."));
      if (upstream != null) {
        upstream.reset(); // after answering, so the reset is not taken for an upstream failure
      }
      return;
    }
    if (sink != null) {
      sink.handle(chunk);
    }
  }

  private void onRequestEnd() {
    requestEnded = true;
    if (endSink != null) {
      Runnable r = endSink;
      endSink = null;
      r.run();
    }
  }

  // ---- answering without the upstream ------------------------------------------------------

  /**
   * Refuses the request as policy decided: 403 with a problem naming the rule. A hold is refused
   * too, saying the operation requires approval.
   */
  public void refuse(Verdict verdict) {
    refusal = verdict;
    record.setBlocked(true);
    if (verdict.action() == Verdict.Action.HOLD) {
      fail(
          new Problem(
              403,
              "approval-required",
              "Approval required",
              "Rule "
                  + verdict.rule()
                  + " requires a human approval for "
                  + request.method()
                  + " "
                  + record.getPath()
                  + ": "
                  + verdict.reason()
                  + " Ward could not hold it for approval here; ask an approver to run it or to"
                  + " change the policy.",
              verdict.rule()));
    } else {
      fail(
          new Problem(
              403,
              "guardrail-denied",
              "Refused by policy",
              "Rule "
                  + verdict.rule()
                  + " refused "
                  + request.method()
                  + " "
                  + record.getPath()
                  + ": "
                  + verdict.reason(),
              verdict.rule()));
    }
  }

  // ---- holding for approval ------------------------------------------------------------------

  /** How often a held request tells the client it still waits (also keeps the connection open). */
  static final long HOLD_HINT_EVERY_MS = 30_000;

  /**
   * Holds the request until approvers decide. The request stays paused; the client gets a 103
   * (Early Hints) response naming the approval request ({@code Ward-Approval-Request}, and {@code
   * Ward-Approval-Link} where approvers decide), repeated while it waits so idle timeouts do not
   * cut the wait. When policy cannot hold (no approvals on this agent), the request is refused as
   * before. Every step is recorded; the client going away withdraws the request.
   *
   * @param approved runs on the exchange's event loop once approved
   * @param refused runs there when denied or timed out, with the hold and how it ended
   * @param unavailable runs at once when this agent cannot hold (its policy has no approvals)
   */
  public void awaitApproval(
      Verdict verdict,
      Operation operation,
      Runnable approved,
      java.util.function.BiConsumer<ApprovalHold, HoldOutcome> refused,
      Runnable unavailable) {
    ApprovalHold h = session.policy().hold(operation, verdict);
    if (h == null) {
      unavailable.run();
      return;
    }
    Context loop = Vertx.currentContext();
    HoldOutcome settled = h.outcome().toCompletableFuture().getNow(null);
    if (settled != null) {
      // a time box covered it, or the agent could not take more requests
      session.append(ApprovalEvents.of(h, settled.state().recorded(), settled));
      decided(h, settled, verdict, approved, refused);
      return;
    }
    held = h;
    session.append(ApprovalEvents.of(h, "requested", null));
    hint(h);
    long timer =
        loop == null
            ? -1
            : loop.owner().setPeriodic(HOLD_HINT_EVERY_MS, t -> loop.runOnContext(v -> hint(h)));
    h.outcome()
        .whenComplete(
            (o, e) -> {
              HoldOutcome outcome =
                  e == null
                      ? o
                      : new HoldOutcome(HoldOutcome.State.WITHDRAWN, "", "Ward failed to wait", 0);
              Runnable release =
                  () -> {
                    if (timer >= 0) {
                      loop.owner().cancelTimer(timer);
                    }
                    held = null;
                    session.append(ApprovalEvents.of(h, outcome.state().recorded(), outcome));
                    if (!finished) {
                      decided(h, outcome, verdict, approved, refused);
                    }
                  };
              if (loop == null) {
                release.run();
              } else {
                loop.runOnContext(v -> release.run());
              }
            });
  }

  private void hint(ApprovalHold h) {
    // Only plain HTTP/1.1 exchanges get hints: a client that asked to upgrade (the JDK's client
    // offers h2c) takes any 1xx as the answer to that and then waits for the connection to end,
    // and HTTP/2 clients differ in how they take an informational HEADERS frame.
    if (finished
        || response.headWritten()
        || response.closed()
        || request.version() != io.vertx.core.http.HttpVersion.HTTP_1_1
        || request.headers().contains("Upgrade")) {
      return;
    }
    MultiMap hints = MultiMap.caseInsensitiveMultiMap().add("Ward-Approval-Request", h.requestId());
    if (!h.link().isEmpty()) {
      hints.add("Ward-Approval-Link", h.link());
    }
    response.writeEarlyHints(hints);
  }

  private void decided(
      ApprovalHold h,
      HoldOutcome outcome,
      Verdict verdict,
      Runnable approved,
      java.util.function.BiConsumer<ApprovalHold, HoldOutcome> refused) {
    if (outcome.approved()) {
      approved.run();
    } else if (outcome.state() == HoldOutcome.State.WITHDRAWN) {
      abort();
    } else {
      refusal = verdict;
      refused.accept(h, outcome);
    }
  }

  /** Words for a hold that ended without approval: who denied it and why, or that it timed out. */
  public static String holdRefusal(Verdict verdict, ApprovalHold h, HoldOutcome outcome) {
    String who = outcome.decidedBy().isEmpty() ? "an approver" : outcome.decidedBy();
    return switch (outcome.state()) {
      case DENIED ->
          "Ward: approval request "
              + h.requestId()
              + " was denied by "
              + who
              + ": "
              + (outcome.reason().isEmpty() ? "no reason given" : outcome.reason());
      case EXPIRED ->
          "Ward: approval request "
              + h.requestId()
              + " timed out ("
              + outcome.reason()
              + "); it did not run (rule "
              + verdict.rule()
              + ")";
      default -> "Ward: approval request " + h.requestId() + " was withdrawn";
    };
  }

  /** Refuses a held request that was denied or timed out: 403 with a problem saying so. */
  public void refuseHeld(Verdict verdict, ApprovalHold h, HoldOutcome outcome) {
    boolean denied = outcome.state() == HoldOutcome.State.DENIED;
    Problem problem =
        new Problem(
            403,
            denied ? "approval-denied" : "approval-expired",
            denied ? "Approval denied" : "Approval timed out",
            holdRefusal(verdict, h, outcome),
            verdict.rule());
    answer(problem.status(), "application/problem+json", problem.body(), verdict);
  }

  /** Answers with a problem document and records the exchange. */
  public void fail(Problem problem) {
    answer(problem.status(), "application/problem+json", problem.body(), null);
  }

  /**
   * Answers with a body the handler made (a JSON-RPC error, a Git status report) and records the
   * exchange; {@code refusal}, when not null, is recorded as the guardrail decision.
   */
  public void answer(int status, String contentType, Buffer body, Verdict refusal) {
    if (refusal != null) {
      this.refusal = refusal;
      record.setBlocked(true);
    }
    if (!response.headWritten() && !response.ended() && !response.closed()) {
      response
          .setStatusCode(status)
          .putHeader("Content-Type", contentType)
          .putHeader("Content-Length", String.valueOf(body.length()))
          .putHeader("Cache-Control", "no-store");
      if (status == 401) {
        response.putHeader("WWW-Authenticate", "Basic realm=\"Ward\", Bearer realm=\"Ward\"");
      }
      responseBody.add(body);
      response.end(body);
    }
    record.setStatus(status);
    record.putResponseHeaders("content-type", contentType);
    // Drain what is left of the body so the connection stays usable, without keeping it.
    sink = c -> {};
    endSink = null;
    if (!requestEnded) {
      request.resume();
    }
    finish();
  }

  // ---- forwarding --------------------------------------------------------------------------

  /**
   * Sends the request upstream with {@code body} in place of the body the client sent (a prompt
   * with its secrets masked, say); the handler must have read the whole body first.
   */
  public void forwardReplacing(Buffer body) {
    if (!requestEnded) {
      throw new IllegalStateException("the request body has not been read to its end");
    }
    bodyReplaced = true;
    replacedLength = body.length();
    forward(body);
  }

  /**
   * Runs {@code action} once the exchange is over, just before it is recorded: a handler reads the
   * finished record (status, kept response body) and adds what it learned from it.
   */
  public void beforeRecord(Runnable action) {
    this.beforeRecord = action;
  }

  /** Adds an event recorded right after this exchange's own (an LLM exchange, say). */
  public void addEvent(dev.ward.proto.recording.v1.Event.Builder event) {
    extraEvents.add(event);
  }

  /**
   * The time from the request to the first server-sent event with data passed to the client, or 0
   * when the response was not an event stream.
   */
  public long firstEventNanos() {
    return firstEventNanos;
  }

  /** The time since the request arrived. */
  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /**
   * Sends the request upstream: the bytes the handler already read first, then the rest of the body
   * as it arrives, then the response back to the client.
   */
  public void forward(Buffer alreadyRead) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(setup.endpoint().host())
            .setPort(setup.endpoint().port())
            .setSsl(setup.endpoint().ssl())
            .setURI(setup.endpoint().uriFor(request.uri()))
            .setHeaders(upstreamHeaders());
    setup
        .client()
        .request(options)
        .onFailure(e -> upstreamFailed(e))
        .onSuccess(
            up -> {
              if (finished) {
                up.reset();
                return;
              }
              upstream = up;
              up.response().onSuccess(this::relay).onFailure(this::upstreamFailed);
              up.exceptionHandler(this::upstreamFailed);
              if (requestEnded) {
                up.end(alreadyRead);
                return;
              }
              if (request.getHeader("Content-Length") == null) {
                up.setChunked(true);
              }
              if (alreadyRead.length() > 0) {
                up.write(alreadyRead);
              }
              sink =
                  chunk -> {
                    up.write(chunk);
                    if (up.writeQueueFull()) {
                      request.pause();
                      up.drainHandler(v -> request.resume());
                    }
                  };
              endSink = () -> up.end();
              request.resume();
            });
  }

  private MultiMap upstreamHeaders() {
    MultiMap headers = HopByHop.copy(request.headers());
    if (headers.get("Authorization") == null) {
      // the grant came as an API key header (Anthropic-style clients)
      headers.remove("x-api-key");
    }
    headers.remove("Authorization");
    headers.remove("Expect");
    if (bodyReplaced) {
      headers.remove("Transfer-Encoding");
      headers.set("Content-Length", String.valueOf(replacedLength));
    }
    headers.set("Host", setup.endpoint().authority());
    // Masking needs the body as written; the upstream must not compress it.
    headers.set("Accept-Encoding", "identity");
    session.credential().apply(headers);
    return headers;
  }

  private void upstreamFailed(Throwable e) {
    if (finished || response.headWritten()) {
      abort();
      return;
    }
    boolean timeout =
        e instanceof java.util.concurrent.TimeoutException
            || String.valueOf(e.getMessage()).contains("timed out");
    fail(
        new Problem(
            timeout ? 504 : 502,
            "upstream-unavailable",
            "Upstream unavailable",
            "Ward could not reach the upstream of "
                + setup.context().connection().getName()
                + (timeout ? " in time." : ": " + e.getMessage())));
  }

  // ---- the response ------------------------------------------------------------------------

  private void relay(HttpClientResponse up) {
    if (finished) {
      up.request().reset();
      return;
    }
    record.setStatus(up.statusCode());
    String contentType = up.getHeader("Content-Type");
    ContentTypes kind = ContentTypes.of(contentType);
    boolean mask = kind.text() && session.policy().inspectsResults();
    String encoding = up.getHeader("Content-Encoding");
    if (mask && encoding != null && !encoding.equalsIgnoreCase("identity")) {
      fail(
          new Problem(
              502,
              "upstream-body-unmaskable",
              "Upstream response cannot be masked",
              "The upstream answered with a "
                  + encoding
                  + "-encoded body that Ward must mask;"
                  + " it ignored Accept-Encoding: identity."));
      up.request().reset();
      return;
    }
    response.setStatusCode(up.statusCode());
    String message = up.statusMessage();
    if (message != null && !message.isEmpty()) {
      response.setStatusMessage(message);
    }
    response.headers().addAll(HopByHop.copy(up.headers()));
    up.exceptionHandler(e -> abort());
    if (mask && kind == ContentTypes.EVENT_STREAM) {
      relayEvents(up);
    } else if (mask) {
      relayMasked(up, kind, contentType);
    } else {
      relayStream(up, kind.text());
    }
  }

  private void relayStream(HttpClientResponse up, boolean recordBody) {
    boolean lengthKnown = up.getHeader("Content-Length") != null;
    if (!lengthKnown) {
      response.setChunked(true);
    }
    up.handler(
        chunk -> {
          responseBytes += chunk.length();
          if (recordBody) {
            responseBody.add(chunk);
          }
          response.write(chunk);
          if (response.writeQueueFull()) {
            up.pause();
            response.drainHandler(v -> up.resume());
          }
        });
    up.endHandler(
        v -> {
          response.end();
          finish();
        });
  }

  private void relayMasked(HttpClientResponse up, ContentTypes kind, String contentType) {
    int limit = setup.limits().maxBufferedBody();
    String length = up.getHeader("Content-Length");
    if (length != null && parseLong(length) > limit) {
      tooLargeToMask(limit);
      up.request().reset();
      return;
    }
    Buffer body = Buffer.buffer();
    up.handler(
        chunk -> {
          if (finished) {
            return;
          }
          body.appendBuffer(chunk);
          if (body.length() > limit) {
            tooLargeToMask(limit);
            up.request().reset();
          }
        });
    up.endHandler(
        v -> {
          if (finished) {
            return;
          }
          String text = body.toString(ContentTypes.charset(contentType));
          String masked = session.policy().maskBody(text, kind == ContentTypes.JSON, tally);
          Buffer out =
              masked == text
                  ? body
                  : Buffer.buffer(masked, ContentTypes.charset(contentType).name());
          response.headers().remove("Transfer-Encoding");
          response.putHeader("Content-Length", String.valueOf(out.length()));
          responseBody.add(out);
          response.end(out);
          finish();
        });
  }

  private void relayEvents(HttpClientResponse up) {
    response.headers().remove("Content-Length");
    response.setChunked(true);
    SseEvents events =
        new SseEvents(
            setup.limits().maxBufferedBody(),
            event -> {
              SseEvents.Event out = event;
              if (event.data() != null) {
                String masked =
                    session.policy().maskBody(event.data(), looksJson(event.data()), tally);
                out = event.withData(masked);
              }
              Buffer encoded = out.encode();
              if (firstEventNanos == 0 && event.data() != null) {
                firstEventNanos = System.nanoTime() - startNanos;
              }
              responseBody.add(encoded);
              response.write(encoded);
            });
    up.handler(
        chunk -> {
          try {
            events.feed(chunk);
          } catch (SseEvents.OversizedEventException e) {
            up.request().reset();
            abort();
            return;
          }
          if (response.writeQueueFull()) {
            up.pause();
            response.drainHandler(v -> up.resume());
          }
        });
    up.endHandler(
        v -> {
          events.end();
          response.end();
          finish();
        });
  }

  private void tooLargeToMask(int limit) {
    if (response.headWritten()) {
      abort();
      return;
    }
    response.headers().clear();
    fail(
        new Problem(
            502,
            "upstream-body-too-large",
            "Upstream response too large to mask",
            "The upstream answered with more than "
                + limit
                + " bytes of text that Ward must mask before passing it on; ask for less (a page"
                + " or a filter) or raise the connection's max_buffered_body_bytes."));
  }

  static boolean looksJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /** The client or upstream went away mid-exchange: drop both sides, record what happened. */
  private void abort() {
    if (finished) {
      return;
    }
    if (held != null) {
      held.withdraw("the client disconnected");
    }
    if (upstream != null) {
      upstream.reset();
    }
    if (!response.ended() && !response.closed()) {
      response.reset();
    }
    if (record.getStatus() == 0) {
      record.setStatus(499);
    }
    finish();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    String credentialHeader = session.credential().headerName();
    record.putAllRequestHeaders(RecordedHeaders.of(request.headers(), credentialHeader));
    record.putAllResponseHeaders(RecordedHeaders.of(response.headers(), ""));
    record.setDurationNanos(System.nanoTime() - startNanos);
    record.setRequestBytes(requestBody.total());
    ContentTypes requestKind = ContentTypes.of(request.getHeader("Content-Type"));
    if (requestKind.text()
        && requestBody.kept().length() > 0
        && record.getRequestBody().isEmpty()) {
      String text =
          requestBody.kept().toString(ContentTypes.charset(request.getHeader("Content-Type")));
      String masked = session.policy().maskBody(text, requestKind == ContentTypes.JSON, tally);
      record.setRequestBody(ByteString.copyFromUtf8(masked));
    }
    record.setRequestBodyTruncated(requestBody.truncated());
    if (responseBody.kept().length() > 0) {
      record.setResponseBody(ByteString.copyFrom(responseBody.kept().getBytes()));
    }
    record.setResponseBytes(Math.max(responseBytes, responseBody.total()));
    record.setResponseBodyTruncated(responseBody.truncated());
    if (beforeRecord != null) {
      beforeRecord.run();
    }
    session.record(record, tally.entries(), refusal, extraEvents);
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The text cut to at most {@code max} characters, for recorded fields. */
  public static String bounded(String text, int max) {
    return text.length() > max ? text.substring(0, max) : text;
  }
}
