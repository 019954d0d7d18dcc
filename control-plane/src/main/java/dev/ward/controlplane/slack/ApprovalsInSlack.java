package dev.ward.controlplane.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.controlplane.approval.service.ApprovalRecord;
import dev.ward.controlplane.approval.service.ApprovalRequests;
import dev.ward.controlplane.approval.service.ApprovalVotes;
import dev.ward.controlplane.approval.service.Approver;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.security.Roles;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Approvals through Slack: each new request is posted to the tenant's channel (or webhook) with
 * Approve/Deny buttons. Approve decides at once; Deny opens a form for the reason, and the form's
 * submission decides. Every interaction, once its signature is verified, is mapped to a Ward user
 * by the Slack user's email and decided under the same rules as the API; the message is then
 * updated in place, as it is when the request is decided elsewhere, expires or is withdrawn. Runs
 * on worker threads.
 */
@ApplicationScoped
public class ApprovalsInSlack {

  private static final Logger LOG = Logger.getLogger(ApprovalsInSlack.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SlackSettings settings;
  private final SlackApi slack;
  private final ApprovalVotes votes;
  private final Pool pool;

  public ApprovalsInSlack(SlackSettings settings, SlackApi slack, ApprovalVotes votes, Pool pool) {
    this.settings = settings;
    this.slack = slack;
    this.votes = votes;
    this.pool = pool;
  }

  /** Posts a new request to the tenant's Slack, if it has one configured. */
  void opened(@ObservesAsync ApprovalRequests.Opened event) {
    ApprovalRecord a = event.approval();
    try {
      Optional<SlackSettings.Config> config =
          VertxContextSupport.subscribeAndAwait(() -> settings.load(a.tenantId()));
      if (config.isEmpty()) {
        return;
      }
      SlackSettings.Config c = config.get();
      ObjectNode message = SlackMessages.request(a);
      if (c.usesBot()) {
        message.put("channel", c.channel());
        JsonNode posted = slack.call("chat.postMessage", c.botToken(), message);
        String channel = posted.path("channel").asText();
        String ts = posted.path("ts").asText();
        ApprovalRecord stored =
            VertxContextSupport.subscribeAndAwait(
                () ->
                    pool.preparedQuery(
                            "UPDATE approvals SET slack_channel = $3, slack_ts = $4 WHERE"
                                + " tenant_id = $1 AND id = $2 RETURNING "
                                + ApprovalRecord.COLUMNS)
                        .execute(Tuple.of(a.tenantId(), a.id(), channel, ts))
                        .map(rows -> ApprovalRecord.of(rows.iterator().next())));
        if (!stored.pending()) {
          // decided or expired before the message existed: nobody could update it then
          showOutcome(stored);
        }
      } else if (c.webhookUrl() != null) {
        slack.post(c.webhookUrl(), message);
      }
    } catch (Throwable e) {
      LOG.warnf("Could not post approval request %s to Slack: %s", a.requestId(), e.getMessage());
    }
  }

  /** Shows a decision made anywhere (console, API, Slack) in the request's Slack message. */
  void decided(@ObservesAsync ApprovalVotes.Decided event) {
    showOutcome(event.approval());
  }

  /** Shows that nobody decided (expired) or the client stopped waiting, buttons removed. */
  void ended(@ObservesAsync ApprovalRequests.Ended event) {
    showOutcome(event.approval());
  }

  private void showOutcome(ApprovalRecord a) {
    if (a.slackChannel() == null || a.slackTs() == null) {
      return;
    }
    try {
      Optional<SlackSettings.Config> config =
          VertxContextSupport.subscribeAndAwait(() -> settings.load(a.tenantId()));
      if (config.isPresent() && config.get().botToken() != null) {
        ObjectNode message = SlackMessages.decided(a);
        message.put("channel", a.slackChannel()).put("ts", a.slackTs());
        slack.call("chat.update", config.get().botToken(), message);
      }
    } catch (Throwable e) {
      LOG.warnf("Could not update the Slack message of approval %s: %s", a.id(), e.getMessage());
    }
  }

  /**
   * A verified interaction payload from Slack: a button press (block_actions) or the submission of
   * the denial form (view_submission). Returns the body Slack expects back, when it expects one.
   */
  public Optional<ObjectNode> handle(UUID tenantId, SlackSettings.Config c, JsonNode payload)
      throws InterruptedException {
    return switch (payload.path("type").asText()) {
      case "block_actions" -> {
        pressed(tenantId, c, payload);
        yield Optional.empty();
      }
      case "view_submission" -> submitted(tenantId, c, payload);
      default -> Optional.empty();
    };
  }

  private void pressed(UUID tenantId, SlackSettings.Config c, JsonNode payload)
      throws InterruptedException {
    String responseUrl = slackOwned(payload.path("response_url").asText(""));
    for (JsonNode action : payload.path("actions")) {
      String actionId = action.path("action_id").asText("");
      UUID id = SlackMessages.approvalOf(actionId);
      if (id == null) {
        continue;
      }
      try {
        if (actionId.startsWith(SlackMessages.DENY)) {
          openDenialForm(c, id, payload.path("trigger_id").asText(""));
          continue;
        }
        Approver approver = approver(tenantId, c, payload.path("user").path("id").asText(""));
        ApprovalVotes.Tally t =
            VertxContextSupport.subscribeAndAwait(
                () -> votes.approve(tenantId, id, approver, null));
        update(c, t.approval(), responseUrl);
      } catch (Problem p) {
        tell(responseUrl, "Ward did not record your decision: " + p.detail());
      } catch (InterruptedException e) {
        throw e;
      } catch (Throwable e) {
        Throwable cause = e.getCause() instanceof Problem p ? p : e;
        if (cause instanceof Problem p) {
          tell(responseUrl, "Ward did not record your decision: " + p.detail());
        } else {
          LOG.warnf("Slack decision on approval %s failed: %s", id, e.getMessage());
          tell(responseUrl, "Ward could not record your decision; try again or use the console.");
        }
      }
    }
  }

  /**
   * Opens the form a denier types the reason in. It needs the bot token (a webhook-only workspace
   * cannot tell Ward who pressed, so it cannot decide from Slack at all); the trigger id is valid
   * for three seconds, so this runs before anything slower.
   */
  private void openDenialForm(SlackSettings.Config c, UUID id, String triggerId) throws Throwable {
    if (c.botToken() == null) {
      throw Problem.forbidden(
          "this workspace's Slack settings have no bot token, so Ward cannot tell who you are.");
    }
    ObjectNode body = JSON.createObjectNode().put("trigger_id", triggerId);
    body.set("view", SlackMessages.denialForm(id, ApprovalVotes.MAX_REASON));
    slack.call("views.open", c.botToken(), body);
  }

  /**
   * The denial form submitted: the reason the denier typed goes to the engineer. A refusal (not an
   * approver, already decided, no reason) is shown in the form under the input, which stays open.
   */
  private Optional<ObjectNode> submitted(UUID tenantId, SlackSettings.Config c, JsonNode payload)
      throws InterruptedException {
    JsonNode view = payload.path("view");
    String callback = view.path("callback_id").asText("");
    UUID id = callback.startsWith(SlackMessages.DENY) ? SlackMessages.approvalOf(callback) : null;
    if (id == null) {
      return Optional.empty();
    }
    String typed =
        view.path("state")
            .path("values")
            .path(SlackMessages.REASON)
            .path(SlackMessages.REASON)
            .path("value")
            .asText("");
    try {
      String reason = ApprovalVotes.reasonOf(typed);
      Approver approver = approver(tenantId, c, payload.path("user").path("id").asText(""));
      VertxContextSupport.subscribeAndAwait(() -> votes.deny(tenantId, id, approver, reason));
      return Optional.empty();
    } catch (InterruptedException e) {
      throw e;
    } catch (Throwable e) {
      Throwable cause = e instanceof Problem ? e : e.getCause();
      if (cause instanceof Problem p) {
        return Optional.of(SlackMessages.formError("Ward did not record your denial: " + why(p)));
      }
      LOG.warnf("Slack denial of approval %s failed: %s", id, e.getMessage());
      return Optional.of(
          SlackMessages.formError(
              "Ward could not record your denial; try again or use the console."));
    }
  }

  /** A problem's detail, or its first field error's message when it names one. */
  private static String why(Problem p) {
    return p.errors() != null && !p.errors().isEmpty() ? p.errors().get(0).message() : p.detail();
  }

  /**
   * The response_url if it points at Slack (or at the configured API's host, for a stub), else
   * empty: Ward posts to no other address a payload names.
   */
  private String slackOwned(String url) {
    java.net.URI base = java.net.URI.create(slack.base());
    try {
      java.net.URI u = java.net.URI.create(url);
      boolean slackHooks = "https".equals(u.getScheme()) && "hooks.slack.com".equals(u.getHost());
      boolean sameAsApi =
          base.getScheme().equals(u.getScheme())
              && base.getHost().equals(u.getHost())
              && base.getPort() == u.getPort();
      return slackHooks || sameAsApi ? url : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** The Ward user behind a Slack user, by email, with their groups. */
  private Approver approver(UUID tenantId, SlackSettings.Config c, String slackUser)
      throws Throwable {
    if (c.botToken() == null) {
      throw Problem.forbidden(
          "this workspace's Slack settings have no bot token, so Ward cannot tell who you are.");
    }
    String email;
    try {
      email = slack.email(c.botToken(), slackUser);
    } catch (SlackApi.SlackException e) {
      throw Problem.forbidden("Slack did not tell Ward who you are (" + e.getMessage() + ").");
    }
    List<Row> users =
        VertxContextSupport.subscribeAndAwait(
            () ->
                pool.preparedQuery(
                        "SELECT u.subject, u.email, coalesce(array_agg(g.name) FILTER (WHERE"
                            + " g.name IS NOT NULL), '{}') AS groups FROM users u LEFT JOIN"
                            + " group_members m ON m.user_id = u.id LEFT JOIN groups g ON g.id ="
                            + " m.group_id AND g.tenant_id = u.tenant_id WHERE u.tenant_id = $1"
                            + " AND lower(u.email) = lower($2) GROUP BY u.id LIMIT 2")
                    .execute(Tuple.of(tenantId, email))
                    .map(
                        rows -> {
                          List<Row> list = new ArrayList<>();
                          rows.forEach(list::add);
                          return list;
                        }));
    if (users.size() != 1) {
      throw Problem.forbidden(
          users.isEmpty()
              ? "no Ward user has the email of your Slack account; sign in to Ward once first."
              : "several Ward users have the email of your Slack account; decide in the console.");
    }
    Row u = users.get(0);
    Set<String> groups = Set.of(u.getArrayOfStrings("groups"));
    return new Approver(
        u.getString("subject"),
        u.getString("email"),
        groups,
        groups.contains(Roles.ADMIN),
        "slack");
  }

  /**
   * Shows the outcome in the message itself: a message the bot posted is updated when the decision
   * commits ({@link #decided}); one posted through a webhook through the interaction's
   * response_url.
   */
  private void update(SlackSettings.Config c, ApprovalRecord a, String responseUrl)
      throws InterruptedException {
    if (c.botToken() != null && a.slackTs() != null) {
      return;
    }
    if (responseUrl.isEmpty()) {
      return;
    }
    ObjectNode message = SlackMessages.decided(a);
    message.put("replace_original", true);
    try {
      slack.post(responseUrl, message);
    } catch (java.io.IOException e) {
      LOG.warnf("Could not update the Slack message of approval %s: %s", a.id(), e.getMessage());
    }
  }

  private void tell(String responseUrl, String text) throws InterruptedException {
    if (responseUrl.isEmpty()) {
      return;
    }
    try {
      slack.post(responseUrl, SlackMessages.ephemeral(text));
    } catch (java.io.IOException e) {
      LOG.warnf("Could not answer a Slack user: %s", e.getMessage());
    }
  }
}
