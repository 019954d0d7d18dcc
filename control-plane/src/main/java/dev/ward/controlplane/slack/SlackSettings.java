package dev.ward.controlplane.slack;

import dev.ward.controlplane.secrets.TenantKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's Slack app: where approval requests are posted (a bot token and channel, or an incoming
 * webhook) and the signing secret that proves an interaction came from Slack. Secrets are sealed
 * with the tenant's data key and opened only to call Slack or check a signature.
 */
@ApplicationScoped
public class SlackSettings {

  /** The opened settings of one tenant. Never logged or returned by the API. */
  public record Config(String channel, String botToken, String webhookUrl, String signingSecret) {

    public boolean usesBot() {
      return botToken != null && channel != null;
    }

    @Override
    public String toString() {
      return "Config[channel=" + channel + ", secrets hidden]";
    }
  }

  /** What the API shows: which secrets are set, never their values. */
  public record Summary(
      boolean configured,
      String channel,
      boolean botToken,
      boolean webhookUrl,
      boolean signingSecret) {}

  private static final String BOT = "slack/bot-token";
  private static final String WEBHOOK = "slack/webhook-url";
  private static final String SIGNING = "slack/signing-secret";

  private final Pool pool;
  private final TenantKeys keys;

  public SlackSettings(Pool pool, TenantKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /** Replaces the tenant's settings and records who did it (without secrets). */
  public Uni<Summary> save(UUID tenantId, String actor, Config c) {
    return Panache.withSession(() -> saveSealed(tenantId, actor, c));
  }

  private Uni<Summary> saveSealed(UUID tenantId, String actor, Config c) {
    return seal(tenantId, BOT, c.botToken())
        .chain(
            bot ->
                seal(tenantId, WEBHOOK, c.webhookUrl())
                    .chain(
                        hook ->
                            keys.seal(tenantId, SIGNING, c.signingSecret())
                                .chain(
                                    signing -> {
                                      Summary s =
                                          new Summary(
                                              true, c.channel(), bot != null, hook != null, true);
                                      return pool.withTransaction(
                                          sql ->
                                              sql.preparedQuery(
                                                      "INSERT INTO slack_settings (tenant_id,"
                                                          + " channel, bot_token_sealed,"
                                                          + " webhook_url_sealed,"
                                                          + " signing_secret_sealed, updated_at)"
                                                          + " VALUES ($1, $2, $3, $4, $5, now())"
                                                          + " ON CONFLICT (tenant_id) DO UPDATE"
                                                          + " SET channel = EXCLUDED.channel,"
                                                          + " bot_token_sealed ="
                                                          + " EXCLUDED.bot_token_sealed,"
                                                          + " webhook_url_sealed ="
                                                          + " EXCLUDED.webhook_url_sealed,"
                                                          + " signing_secret_sealed ="
                                                          + " EXCLUDED.signing_secret_sealed,"
                                                          + " updated_at = now()")
                                                  .execute(
                                                      Tuple.of(
                                                          tenantId,
                                                          c.channel(),
                                                          buffer(bot),
                                                          buffer(hook),
                                                          Buffer.buffer(signing)))
                                                  .chain(
                                                      () ->
                                                          sql.preparedQuery(
                                                                  "INSERT INTO audit_events (id,"
                                                                      + " tenant_id, actor,"
                                                                      + " action, target_type,"
                                                                      + " target_id, after)"
                                                                      + " VALUES ($1, $2, $3,"
                                                                      + " 'slack.settings.update',"
                                                                      + " 'slack-settings', $5,"
                                                                      + " $4)")
                                                              .execute(
                                                                  Tuple.of(
                                                                      UUID.randomUUID(),
                                                                      tenantId,
                                                                      actor,
                                                                      JsonObject.mapFrom(s),
                                                                      tenantId.toString())))
                                                  .replaceWith(s));
                                    })));
  }

  /** What the API shows of the tenant's settings. */
  public Uni<Summary> summary(UUID tenantId) {
    return row(tenantId)
        .map(
            r ->
                r.map(
                        row ->
                            new Summary(
                                true,
                                row.getString("channel"),
                                row.getBuffer("bot_token_sealed") != null,
                                row.getBuffer("webhook_url_sealed") != null,
                                true))
                    .orElse(new Summary(false, null, false, false, false)));
  }

  /** The tenant's opened settings, if it has any. */
  public Uni<Optional<Config>> load(UUID tenantId) {
    return Panache.withSession(() -> loadOpened(tenantId));
  }

  private Uni<Optional<Config>> loadOpened(UUID tenantId) {
    return row(tenantId)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<Config>empty());
              }
              Row r = found.get();
              return open(tenantId, BOT, r.getBuffer("bot_token_sealed"))
                  .chain(
                      bot ->
                          open(tenantId, WEBHOOK, r.getBuffer("webhook_url_sealed"))
                              .chain(
                                  hook ->
                                      open(tenantId, SIGNING, r.getBuffer("signing_secret_sealed"))
                                          .map(
                                              signing ->
                                                  Optional.of(
                                                      new Config(
                                                          r.getString("channel"),
                                                          bot,
                                                          hook,
                                                          signing)))));
            });
  }

  private Uni<Optional<Row>> row(UUID tenantId) {
    return pool.preparedQuery(
            "SELECT channel, bot_token_sealed, webhook_url_sealed, signing_secret_sealed FROM"
                + " slack_settings WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            });
  }

  private Uni<byte[]> seal(UUID tenantId, String purpose, String secret) {
    return secret == null || secret.isBlank()
        ? Uni.createFrom().nullItem()
        : keys.seal(tenantId, purpose, secret);
  }

  private Uni<String> open(
      UUID tenantId, String purpose, io.vertx.mutiny.core.buffer.Buffer sealed) {
    return sealed == null
        ? Uni.createFrom().nullItem()
        : keys.open(tenantId, purpose, sealed.getBytes());
  }

  private static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }
}
