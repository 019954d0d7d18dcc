package dev.ward.agent.protocol.git;

import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.Verdict;
import dev.ward.agent.protocol.http.ExchangeHandler;
import dev.ward.agent.protocol.http.HttpExchange;
import dev.ward.agent.protocol.http.Problem;
import dev.ward.proto.recording.v1.RefUpdate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Git smart HTTP through the agent. Fetches and clones pass as they are; a push's command list is
 * read before anything reaches the upstream, each ref update is put to the Git guardrails and
 * recorded with its old and new commit ids, and a push with a refused update is answered by the
 * agent with a status report git shows its user, without the upstream ever seeing it.
 */
final class GitExchanges implements ExchangeHandler {

  private static final String RECEIVE_PACK = "git-receive-pack";
  private static final String UPLOAD_PACK = "git-upload-pack";

  @Override
  public void handle(HttpExchange exchange) {
    HttpServerRequest request = exchange.request();
    String path = request.path();
    String service = request.getParam("service");
    boolean push = path.endsWith("/" + RECEIVE_PACK) || RECEIVE_PACK.equals(service);
    boolean fetch = path.endsWith("/" + UPLOAD_PACK) || UPLOAD_PACK.equals(service);
    exchange.record().setRpcMethod(push ? RECEIVE_PACK : fetch ? UPLOAD_PACK : "");
    // A fetch reads even though it is a POST; a push writes from its first request on.
    Verdict verdict = exchange.policy().inspectRequest(push ? "POST" : "GET", request.uri());
    if (!verdict.allowed()) {
      exchange.refuse(verdict);
      return;
    }
    if (!(push && request.method() == HttpMethod.POST && path.endsWith("/" + RECEIVE_PACK))) {
      exchange.forward(Buffer.buffer());
      return;
    }
    String encoding = request.getHeader("Content-Encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      exchange.fail(
          new Problem(
              415,
              "push-encoding-unsupported",
              "Compressed push not supported",
              "Ward reads a push's ref updates before it passes on; send it uncompressed."));
      return;
    }
    exchange.readUntil(PushCommands::complete).onSuccess(head -> push(exchange, head));
  }

  private static void push(HttpExchange exchange, Buffer head) {
    PushCommands commands;
    try {
      commands = PushCommands.parse(head);
    } catch (IllegalArgumentException e) {
      exchange.fail(
          new Problem(
              400,
              "malformed-push",
              "Malformed push",
              "Ward could not read the push: " + e.getMessage()));
      return;
    }
    if (commands.updates().isEmpty()) {
      // git's probe before a large push, or an empty one
      exchange.forward(head);
      return;
    }
    List<String> reasons = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    Verdict first = null;
    boolean anyDenied = false;
    for (PushCommands.Update u : commands.updates()) {
      updates.add(u.ref() + " " + u.oldId() + ".." + u.newId());
      exchange
          .record()
          .addRefUpdates(
              RefUpdate.newBuilder().setRef(u.ref()).setOldId(u.oldId()).setNewId(u.newId()));
      Verdict v = decide(exchange, u);
      if (v.allowed()) {
        reasons.add("another ref update of this push was refused");
      } else {
        anyDenied |= v.action() != Verdict.Action.HOLD;
        if (first == null || (first.action() == Verdict.Action.HOLD && anyDenied)) {
          first = v;
        }
        reasons.add(
            (v.action() == Verdict.Action.HOLD
                    ? "held for approval by Ward rule "
                    : "refused by Ward rule ")
                + v.rule()
                + ": "
                + oneLine(v.reason()));
      }
    }
    if (first == null) {
      exchange.forward(head);
      return;
    }
    if (first.action() == Verdict.Action.HOLD && !anyDenied) {
      // git waits for the push's answer while approvers decide
      Verdict held = first;
      exchange.awaitApproval(
          held,
          new Operation("git", "push " + String.join(" ", updates), List.of()),
          () -> exchange.forward(head),
          (hold, outcome) -> {
            String why = HttpExchange.holdRefusal(held, hold, outcome);
            List<String> ng = new ArrayList<>();
            for (int i = 0; i < commands.updates().size(); i++) {
              ng.add(oneLine(why));
            }
            exchange.answer(
                200,
                "application/x-git-receive-pack-result",
                ReportStatus.refused(commands, ng, why),
                held);
          },
          () -> refusePush(exchange, commands, reasons, held));
      return;
    }
    refusePush(exchange, commands, reasons, first);
  }

  private static void refusePush(
      HttpExchange exchange, PushCommands commands, List<String> reasons, Verdict first) {
    String message =
        first.action() == Verdict.Action.HOLD
            ? "Ward: rule "
                + first.rule()
                + " requires an approval for this push, which could not be held for it here."
            : "Ward: rule " + first.rule() + " refused this push: " + oneLine(first.reason());
    exchange.answer(
        200,
        "application/x-git-receive-pack-result",
        ReportStatus.refused(commands, reasons, message),
        first);
  }

  /**
   * Decides on one update. Whether it is a fast-forward is not known without the repository, so a
   * decision that depends on it takes the forced case: a rule on forced pushes cannot be slipped
   * past.
   */
  private static Verdict decide(HttpExchange exchange, PushCommands.Update u) {
    Verdict normal = exchange.policy().inspectRefUpdate(u.ref(), u.oldId(), u.newId(), false);
    Verdict forced = exchange.policy().inspectRefUpdate(u.ref(), u.oldId(), u.newId(), true);
    if (normal.action() == forced.action()) {
      return normal;
    }
    return forced.allowed()
        ? normal
        : new Verdict(
            forced.action(),
            forced.rule(),
            oneLine(forced.reason())
                + " (Ward cannot tell a fast-forward from a forced push, so it takes the forced"
                + " case)",
            forced.approval());
  }

  private static String oneLine(String text) {
    String s = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ').strip();
    return s.length() > 300 ? s.substring(0, 300) : s;
  }
}
