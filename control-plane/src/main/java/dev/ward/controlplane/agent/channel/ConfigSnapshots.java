package dev.ward.controlplane.agent.channel;

import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.GrantKey;
import dev.ward.proto.channel.v1.Policy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a tenant's whole agent configuration in one query: the config version, its connections and
 * the policies they use, as of one database snapshot (a single statement sees one). A change is
 * then fanned out to every agent of the tenant from that one read, never a query per agent.
 */
@ApplicationScoped
public class ConfigSnapshots {

  private static final String QUERY =
      """
      SELECT t.config_version,
        (SELECT COALESCE(json_agg(json_build_object(
            'id', c.id, 'name', c.name, 'kind', c.kind,
            'listenHost', c.listen_host, 'listenPort', c.listen_port, 'target', c.target,
            'database', c.database_name, 'username', c.username, 'secretRef', c.secret_ref,
            'upstreamTls', c.upstream_tls, 'policyId', c.policy_id,
            'recordingMode', c.recording_mode, 'offlineMode', c.offline_mode,
            'allowPlaintextGrant', c.allow_plaintext_grant,
            'credentialStyle', c.credential_style, 'options', c.options,
            'agents', c.agent_names) ORDER BY c.name), '[]'::json)
         FROM connections c WHERE c.tenant_id = t.id) AS connections,
        (SELECT COALESCE(json_agg(json_build_object(
            'id', p.id, 'version', p.row_version, 'name', p.name,
            'document', p.document::text) ORDER BY p.name), '[]'::json)
         FROM policies p WHERE p.tenant_id = t.id
          AND p.id IN (SELECT policy_id FROM connections WHERE tenant_id = t.id)) AS policies,
        (SELECT COALESCE(json_agg(json_build_object(
            'id', k.id, 'publicKey', k.public_key,
            'notAfter', COALESCE(extract(epoch FROM k.retire_at)::bigint, 0))
            ORDER BY k.created_at), '[]'::json)
         FROM grant_keys k WHERE k.tenant_id = t.id
          AND (k.retire_at IS NULL OR k.retire_at > now())) AS grant_keys,
        (SELECT COALESCE(json_agg(r.revoked_id ORDER BY r.revoked_id), '[]'::json)
         FROM revoked_grants r WHERE r.tenant_id = t.id AND r.expires_at > now()) AS revoked
      FROM tenants t WHERE t.id = $1
      """;

  private final Pool pool;
  private final String consoleUrl;

  public ConfigSnapshots(Pool pool, @ConfigProperty(name = "ward.console-url") String consoleUrl) {
    this.pool = pool;
    this.consoleUrl = consoleUrl;
  }

  /** The tenant's configuration as of now. */
  Uni<TenantConfig> load(UUID tenantId) {
    return pool.preparedQuery(QUERY)
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                throw new IllegalStateException("tenant " + tenantId + " does not exist");
              }
              return read(tenantId, it.next());
            });
  }

  private TenantConfig read(UUID tenantId, Row row) {
    List<Connection> connections = new ArrayList<>();
    List<List<String>> servedBy = new ArrayList<>();
    for (Object o : json(row.getValue("connections"))) {
      JsonObject c = (JsonObject) o;
      connections.add(connection(c));
      String agents = text(c, "agents");
      servedBy.add(agents.isEmpty() ? List.of() : Arrays.asList(agents.split(",")));
    }
    List<Policy> policies = new ArrayList<>();
    for (Object o : json(row.getValue("policies"))) {
      JsonObject p = (JsonObject) o;
      policies.add(
          Policy.newBuilder()
              .setId(p.getString("id"))
              .setVersion(p.getLong("version"))
              .setName(p.getString("name"))
              .setDocumentJson(p.getString("document"))
              .build());
    }
    List<GrantKey> grantKeys = new ArrayList<>();
    for (Object o : json(row.getValue("grant_keys"))) {
      JsonObject k = (JsonObject) o;
      grantKeys.add(
          GrantKey.newBuilder()
              .setKeyId(k.getString("id"))
              .setAlgorithm("Ed25519")
              .setPublicKey(k.getString("publicKey"))
              .setNotAfterUnix(k.getLong("notAfter"))
              .build());
    }
    List<String> revoked = new ArrayList<>();
    for (Object o : json(row.getValue("revoked"))) {
      revoked.add(String.valueOf(o));
    }
    return new TenantConfig(
        tenantId.toString(),
        row.getLong("config_version"),
        connections,
        servedBy,
        policies,
        grantKeys,
        revoked,
        consoleUrl);
  }

  private static Connection connection(JsonObject c) {
    Connection.Builder b =
        Connection.newBuilder()
            .setId(text(c, "id"))
            .setName(text(c, "name"))
            .setKind(text(c, "kind"))
            .setListenHost(text(c, "listenHost"))
            .setListenPort(c.getInteger("listenPort"))
            .setTarget(text(c, "target"))
            .setDatabase(text(c, "database"))
            .setUsername(text(c, "username"))
            .setSecretRef(text(c, "secretRef"))
            .setUpstreamTls(text(c, "upstreamTls"))
            .setPolicyId(text(c, "policyId"))
            .setRecordingMode(text(c, "recordingMode"))
            .setOfflineMode(text(c, "offlineMode"))
            .setAllowPlaintextGrant(c.getBoolean("allowPlaintextGrant"))
            .setCredentialStyle(text(c, "credentialStyle"));
    JsonObject options = c.getJsonObject("options");
    if (options != null) {
      options.forEach(e -> b.putOptions(e.getKey(), String.valueOf(e.getValue())));
    }
    return b.build();
  }

  /** A text field; SQL NULL becomes the empty string, protobuf's absent value. */
  private static String text(JsonObject o, String key) {
    Object value = o.getValue(key);
    return value == null ? "" : value.toString();
  }

  private static JsonArray json(Object value) {
    if (value instanceof JsonArray array) {
      return array;
    }
    return new JsonArray(String.valueOf(value));
  }
}
