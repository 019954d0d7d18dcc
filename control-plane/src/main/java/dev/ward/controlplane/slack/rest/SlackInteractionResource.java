package dev.ward.controlplane.slack.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.slack.ApprovalsInSlack;
import dev.ward.controlplane.slack.ReplayGuard;
import dev.ward.controlplane.slack.SlackRequestSignature;
import dev.ward.controlplane.slack.SlackSettings;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Slack's interactivity request URL for one tenant: button presses on approval messages and
 * submissions of the denial form. Nothing is believed before the v0 signature over the raw body
 * verifies with the tenant's signing secret, inside the five-minute window, and was not seen
 * before.
 */
@Path("/api/v1/slack/interactions/{tenant}")
@PermitAll
public class SlackInteractionResource {

  static final int MAX_BODY = 64 * 1024;

  private final SlackSettings settings;
  private final ApprovalsInSlack interactions;
  private final ObjectMapper json;
  private final ReplayGuard replays = new ReplayGuard(100_000);

  public SlackInteractionResource(
      SlackSettings settings, ApprovalsInSlack interactions, ObjectMapper json) {
    this.settings = settings;
    this.interactions = interactions;
    this.json = json;
  }

  @POST
  @Blocking
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response interact(
      @PathParam("tenant") UUID tenant,
      @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
      @HeaderParam("X-Slack-Signature") String signature,
      byte[] body)
      throws Throwable {
    if (body == null || body.length > MAX_BODY) {
      throw Problem.badRequest("The interaction payload is missing or too large.");
    }
    Optional<SlackSettings.Config> config =
        VertxContextSupport.subscribeAndAwait(() -> settings.load(tenant));
    if (config.isEmpty()) {
      throw Problem.notFound("Slack settings of tenant " + tenant);
    }
    Instant now = Instant.now();
    try {
      new SlackRequestSignature(config.get().signingSecret())
          .verify(timestamp, signature, body, now);
    } catch (SlackRequestSignature.Rejected e) {
      throw unauthorized("The Slack signature did not verify: " + e.getMessage() + ".");
    }
    if (!replays.firstTime(signature, now)) {
      throw unauthorized("This signed request was received before; replays are refused.");
    }
    JsonNode payload = payload(body);
    return interactions
        .handle(tenant, config.get(), payload)
        .map(answer -> Response.ok(answer.toString(), MediaType.APPLICATION_JSON_TYPE).build())
        .orElseGet(() -> Response.ok().build());
  }

  private JsonNode payload(byte[] body) {
    String form = new String(body, StandardCharsets.UTF_8);
    for (String pair : form.split("&")) {
      if (pair.startsWith("payload=")) {
        try {
          return json.readTree(
              URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8));
        } catch (Exception e) {
          throw Problem.badRequest("The payload field is not JSON.");
        }
      }
    }
    throw Problem.badRequest("The form has no payload field.");
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }
}
