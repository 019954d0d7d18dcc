package dev.ward.controlplane.slack.rest;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.ProblemBody;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import dev.ward.controlplane.slack.SlackSettings;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The tenant's Slack app for approvals: a bot token and channel (chat.postMessage) or an incoming
 * webhook URL, and the signing secret of interactions. Secrets are write-only: the API says whether
 * each is set, never what it is.
 */
@Path("/api/v1/settings/slack")
@RolesAllowed(Roles.ADMIN)
public class SlackSettingsResource {

  /** The settings as an admin sends them. */
  public record SlackInput(
      String botToken, String channel, String webhookUrl, String signingSecret) {

    @Override
    public String toString() {
      return "SlackInput[channel=" + channel + ", secrets hidden]";
    }
  }

  private final SlackSettings settings;
  private final TenantScope scope;

  public SlackSettingsResource(SlackSettings settings, TenantScope scope) {
    this.settings = settings;
    this.scope = scope;
  }

  @GET
  public Uni<SlackSettings.Summary> get() {
    return settings.summary(scope.tenantId());
  }

  @PUT
  public Uni<SlackSettings.Summary> put(SlackInput body) {
    SlackInput in = body == null ? new SlackInput(null, null, null, null) : body;
    List<ProblemBody.FieldError> errors = new ArrayList<>();
    if (blank(in.signingSecret()) || in.signingSecret().length() > 200) {
      errors.add(
          new ProblemBody.FieldError(
              "signingSecret", "the Slack app's signing secret (Basic Information), up to 200"));
    }
    boolean bot = !blank(in.botToken());
    boolean hook = !blank(in.webhookUrl());
    if (bot == hook) {
      errors.add(
          new ProblemBody.FieldError(
              "botToken", "give either botToken with channel, or webhookUrl (not both)"));
    }
    if (bot && (!in.botToken().startsWith("xoxb-") || in.botToken().length() > 300)) {
      errors.add(new ProblemBody.FieldError("botToken", "a bot token starts with xoxb-"));
    }
    if (bot && (blank(in.channel()) || in.channel().length() > 80)) {
      errors.add(new ProblemBody.FieldError("channel", "the channel id or #name to post to"));
    }
    if (hook && !https(in.webhookUrl())) {
      errors.add(new ProblemBody.FieldError("webhookUrl", "an https:// incoming webhook URL"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return settings.save(
        scope.tenantId(),
        scope.actor(),
        new SlackSettings.Config(
            bot ? in.channel().strip() : null,
            bot ? in.botToken().strip() : null,
            hook ? in.webhookUrl().strip() : null,
            in.signingSecret().strip()));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean https(String url) {
    try {
      URI u = URI.create(url.strip());
      return "https".equals(u.getScheme()) && u.getHost() != null && url.length() <= 500;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
