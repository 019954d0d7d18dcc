package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.protocol.InMemoryRecorder;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.MaskingEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Masking rules that name a table ({@code customers.email}) or a schema ({@code billing.*.card})
 * through a real PostgreSQL: the agent names the table OIDs of each RowDescription from the
 * upstream's catalog, so the rule follows the table column under an alias and in a join, and leaves
 * a same-named column of another table alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TableQualifiedMaskingTest {

  static final String POLICY =
      """
      {"schemaVersion": 1,
       "access": [{"id": "all", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
       "masking": {
         "fields": [
           {"id": "customer-email", "match": "customers.email", "strategy": "redact"},
           {"id": "billing-card", "match": "billing.*.card", "strategy": "keep-last:4"}
         ]
       }}
      """;

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward = ProxyHarness.start(b -> b, policies(), ListenerLimits.defaults());
    ward.cluster.execute(
        SharedCluster.DATABASE,
        "DROP TABLE IF EXISTS customers, vendors; DROP SCHEMA IF EXISTS billing CASCADE;"
            + " CREATE TABLE customers (id int, email text);"
            + " CREATE TABLE vendors (id int, email text, customer_id int);"
            + " INSERT INTO customers VALUES (1, 'ann@shop.test'), (2, 'bo@shop.test');"
            + " INSERT INTO vendors VALUES (10, 'sales@vendor.test', 1);"
            + " CREATE SCHEMA billing;"
            + " CREATE TABLE billing.cards (id int, card text);"
            + " CREATE TABLE public.cards (id int, card text);"
            + " INSERT INTO billing.cards VALUES (1, 'card-4111-2222');"
            + " INSERT INTO public.cards VALUES (1, 'card-4111-2222');"
            + " GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC;"
            + " GRANT USAGE ON SCHEMA billing TO PUBLIC;"
            + " GRANT SELECT ON ALL TABLES IN SCHEMA billing TO PUBLIC");
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  static ConnectionPolicies policies() throws Exception {
    ConnectionPolicies policies = new ConnectionPolicies(new byte[32]);
    policies
        .apply(
            ConfigSnapshot.newBuilder()
                .addPolicies(
                    Policy.newBuilder().setId("p").setName("tables").setDocumentJson(POLICY))
                .addConnections(
                    Connection.newBuilder()
                        .setId(ProxyHarness.CONNECTION_ID)
                        .setName(ProxyHarness.CONNECTION_NAME)
                        .setPolicyId("p"))
                .build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return policies;
  }

  static Properties simple() {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    return p;
  }

  static List<String> column(java.sql.Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void theTablesColumnIsMaskedAndASameNamedColumnOfAnotherTableIsNot() throws Exception {
    for (Properties mode : List.of(simple(), new Properties())) {
      try (java.sql.Connection c = ward.jdbc(mode)) {
        assertThat(column(c, "SELECT email FROM customers ORDER BY id"))
            .containsExactly("[REDACTED:customer-email]", "[REDACTED:customer-email]");
        assertThat(column(c, "SELECT email FROM vendors")).containsExactly("sales@vendor.test");
      }
    }
  }

  @Test
  void anAliasOrAJoinDoesNotHideTheColumn() throws Exception {
    try (java.sql.Connection c = ward.jdbc()) {
      assertThat(column(c, "SELECT email AS contact FROM customers WHERE id = 1"))
          .containsExactly("[REDACTED:customer-email]");
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT v.email, c.email AS buyer FROM vendors v"
                      + " JOIN customers c ON c.id = v.customer_id");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("sales@vendor.test");
        assertThat(rs.getString(2)).isEqualTo("[REDACTED:customer-email]");
      }
    }
    Event manifest =
        ward.recorder.last().events().stream().filter(Event::hasMasking).reduce((a, b) -> b).get();
    assertThat(manifest.getMasking().getEntriesList())
        .extracting(MaskingEntry::getRule, MaskingEntry::getLocation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("customer-email", "buyer"));
  }

  @Test
  void aSchemaRuleMasksThatSchemasTableOnly() throws Exception {
    try (java.sql.Connection c = ward.jdbc()) {
      assertThat(column(c, "SELECT card FROM billing.cards")).containsExactly("****2222");
      assertThat(column(c, "SELECT card FROM public.cards")).containsExactly("card-4111-2222");
    }
  }

  @Test
  void whenTheCatalogCannotBeReadTheColumnIsMaskedRatherThanLeftOpen() throws Exception {
    // the role may hold one connection: the session's own; the agent's catalog lookup is refused
    ward.cluster.execute(
        SharedCluster.DATABASE,
        "ALTER ROLE "
            + SharedCluster.PASSWORD_USER
            + " CONNECTION LIMIT 1;"
            + " GRANT SELECT ON vendors TO "
            + SharedCluster.PASSWORD_USER);
    try (ProxyHarness limited =
            ProxyHarness.start(
                b -> b.setUsername(SharedCluster.PASSWORD_USER),
                policies(),
                ListenerLimits.defaults());
        java.sql.Connection c = limited.jdbc()) {
      assertThat(column(c, "SELECT email FROM vendors"))
          .containsExactly("[REDACTED:customer-email]");
      InMemoryRecorder.Session session = limited.recorder.last();
      assertThat(session).isNotNull();
    } finally {
      ward.cluster.execute(
          SharedCluster.DATABASE,
          "ALTER ROLE " + SharedCluster.PASSWORD_USER + " CONNECTION LIMIT -1");
    }
  }
}
