package dev.ward.controlplane.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.controlplane.approval.service.ApprovalRecord;
import java.time.Duration;
import java.util.UUID;

/**
 * The Slack message about an approval request (Block Kit): the engineer, the acting AI agent, the
 * connection, the statement and Approve/Deny buttons whose action ids carry the approval's id; and
 * the same message once decided or expired, with the outcome in place of the buttons; and the form
 * a denier gives the reason in.
 */
final class SlackMessages {

  static final String APPROVE = "ward-approve:";
  static final String DENY = "ward-deny:";

  /** Block and action id of the reason input in the denial form. */
  static final String REASON = "reason";

  private static final int MAX_STATEMENT = 2_800;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessages() {}

  /** The message asking for a decision. */
  static ObjectNode request(ApprovalRecord a) {
    ObjectNode m = JSON.createObjectNode();
    m.put("text", summary(a));
    ArrayNode blocks = describe(a);
    ArrayNode buttons =
        blocks.addObject().put("type", "actions").put("block_id", "decision").putArray("elements");
    button(buttons, "Approve", APPROVE + a.id(), a.id(), "primary");
    button(buttons, "Deny", DENY + a.id(), a.id(), "danger");
    m.set("blocks", blocks);
    return m;
  }

  /** The same message after the decision: who decided and how, no buttons. */
  static ObjectNode decided(ApprovalRecord a) {
    ObjectNode m = JSON.createObjectNode();
    String outcome = outcome(a);
    m.put("text", outcome + " — " + summary(a));
    ArrayNode blocks = describe(a);
    blocks
        .addObject()
        .put("type", "context")
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", escape(outcome));
    m.set("blocks", blocks);
    return m;
  }

  /**
   * The modal a Deny press opens (views.open): the reason goes to the engineer and the AI agent.
   * The callback id carries the approval's id, so the submission names what it denies.
   */
  static ObjectNode denialForm(UUID approvalId, int maxReason) {
    ObjectNode view = JSON.createObjectNode();
    view.put("type", "modal").put("callback_id", DENY + approvalId);
    view.putObject("title").put("type", "plain_text").put("text", "Deny the operation");
    view.putObject("submit").put("type", "plain_text").put("text", "Deny");
    view.putObject("close").put("type", "plain_text").put("text", "Cancel");
    ArrayNode blocks = view.putArray("blocks");
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", "The engineer and the AI agent read your reason in the error they get.");
    ObjectNode input = blocks.addObject().put("type", "input").put("block_id", REASON);
    input.putObject("label").put("type", "plain_text").put("text", "Why do you deny it?");
    input
        .putObject("element")
        .put("type", "plain_text_input")
        .put("action_id", REASON)
        .put("multiline", true)
        .put("max_length", maxReason);
    return view;
  }

  /** The answer to a form submission that keeps the form open with an error under the input. */
  static ObjectNode formError(String message) {
    ObjectNode m = JSON.createObjectNode();
    m.put("response_action", "errors").putObject("errors").put(REASON, message);
    return m;
  }

  /** A note only the pressing user sees (via response_url). */
  static ObjectNode ephemeral(String text) {
    ObjectNode m = JSON.createObjectNode();
    m.put("response_type", "ephemeral").put("replace_original", false).put("text", text);
    return m;
  }

  /** The approval id an action id names, or null when it is not a Ward action. */
  static UUID approvalOf(String actionId) {
    String id =
        actionId.startsWith(APPROVE)
            ? actionId.substring(APPROVE.length())
            : actionId.startsWith(DENY) ? actionId.substring(DENY.length()) : null;
    try {
      return id == null ? null : UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String outcome(ApprovalRecord a) {
    return switch (a.state()) {
      case "approved" -> "Approved by " + a.decidedBy();
      case "denied" -> "Denied by " + a.decidedBy() + ": " + a.reason();
      case "cancelled" -> "Cancelled by " + a.decidedBy();
      case "expired" -> expired(a);
      case "withdrawn" -> "Withdrawn: the client stopped waiting";
      default -> "Waiting for more approvals";
    };
  }

  private static String expired(ApprovalRecord a) {
    if (a.requestedAt() == null || a.expiresAt() == null) {
      return "Expired, nobody decided in time";
    }
    return "Expired, nobody decided within "
        + span(Duration.between(a.requestedAt(), a.expiresAt()));
  }

  /** A wait as people say it: "45 seconds", "10 minutes", "2 hours 30 minutes". */
  static String span(Duration d) {
    long seconds = Math.max(0, Math.round(d.toMillis() / 1000.0));
    if (seconds < 120) {
      return seconds + (seconds == 1 ? " second" : " seconds");
    }
    long minutes = Math.round(seconds / 60.0);
    if (minutes < 120) {
      return minutes + " minutes";
    }
    long hours = minutes / 60;
    long rest = minutes % 60;
    return hours + " hours" + (rest == 0 ? "" : " " + rest + (rest == 1 ? " minute" : " minutes"));
  }

  private static String summary(ApprovalRecord a) {
    return "Approval needed: "
        + a.actor()
        + " for "
        + engineer(a)
        + " on "
        + connection(a)
        + " (rule "
        + a.rule()
        + ")";
  }

  private static ArrayNode describe(ApprovalRecord a) {
    ArrayNode blocks = JSON.createArrayNode();
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put(
            "text",
            "*Approval needed* (rule `"
                + escape(a.rule())
                + "`)"
                + (a.ruleReason() == null || a.ruleReason().isBlank()
                    ? ""
                    : "\n" + escape(a.ruleReason())));
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    field(fields, "Engineer", engineer(a));
    field(fields, "Acting agent", a.actor());
    field(fields, "Connection", connection(a));
    field(fields, "Approvals needed", Integer.toString(a.minApprovals()));
    String statement = a.operation() == null ? "" : a.operation();
    if (statement.length() > MAX_STATEMENT) {
      statement = statement.substring(0, MAX_STATEMENT) + "…";
    }
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", "```" + escape(statement).replace("```", "'''") + "```");
    return blocks;
  }

  private static String engineer(ApprovalRecord a) {
    return a.email() != null && !a.email().isBlank() ? a.email() : a.subject();
  }

  private static String connection(ApprovalRecord a) {
    return a.connectionName() != null && !a.connectionName().isBlank()
        ? a.connectionName()
        : String.valueOf(a.connectionId());
  }

  private static void field(ArrayNode fields, String name, String value) {
    fields
        .addObject()
        .put("type", "mrkdwn")
        .put("text", "*" + name + "*\n" + escape(value == null ? "" : value));
  }

  private static void button(ArrayNode to, String label, String actionId, UUID id, String style) {
    ObjectNode b =
        to.addObject()
            .put("type", "button")
            .put("action_id", actionId)
            .put("value", id.toString())
            .put("style", style);
    b.putObject("text").put("type", "plain_text").put("text", label);
  }

  /** Slack's mrkdwn escaping: only these three characters. */
  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
