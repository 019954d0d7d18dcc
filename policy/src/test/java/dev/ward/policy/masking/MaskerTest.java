package dev.ward.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Samples;
import dev.ward.policy.TestPolicies;
import dev.ward.policy.masking.fields.ColumnInfo;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Strategies, the manifest, rows and JSON, end to end through a compiled policy. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaskerTest {
  private static final String GHP = "ghp_" + Samples.alnum(36, 1);

  private static final String POLICY =
      """
      {"schemaVersion": 1,
       "masking": {
         "secrets": {"strategy": "redact"},
         "pii": {"email": {"strategy": "hmac"}, "creditCard": {"strategy": "keep-last:4"}},
         "fields": [
           {"id": "ssn-column", "match": "*.ssn", "strategy": "redact"},
           {"id": "password-column", "match": "*password*"},
           {"id": "token-column", "match": "*token*", "strategy": "hmac"},
           {"id": "users-email", "match": "users.email", "strategy": "keep-last:4"},
           {"id": "bytea", "typeOids": [17]}
         ],
         "jsonPaths": [
           {"id": "user-key", "path": "$.user.api_key"},
           {"id": "item-emails", "path": "$.items[*].email", "strategy": "hmac"}
         ],
         "custom": [
           {"id": "acme-employee-id", "regex": "EMP-[0-9]{6}", "keywords": ["emp-"], "strategy": "hmac"}
         ]
       }}
      """;

  private final Masker masker =
      TestPolicies.compile(POLICY)
          .masker(MaskingKey.derive(key("tenant-secret-0001"), "acme", "s1"));

  @Test
  void redactionNamesTheRule() {
    MaskResult result = masker.maskText("export GITHUB_TOKEN=" + GHP);

    assertThat(result.text().toString()).isEqualTo("export GITHUB_TOKEN=[REDACTED:github-pat]");
  }

  @Test
  void keepLastShowsOnlyTheLastCharacters() {
    MaskResult result = masker.maskText("card 4111 1111 1111 1111 on file");

    assertThat(result.text().toString()).isEqualTo("card ****1111 on file");
  }

  @Test
  void equalValuesGiveEqualTokensWithinOneKeyScope() {
    String a = masker.maskText("from jane@acme.io").text().toString();
    String b = masker.maskText("to jane@acme.io").text().toString();
    String other = masker.maskText("to john@acme.io").text().toString();

    String token = a.substring("from ".length());
    assertThat(token).matches("tok_[0-9a-f]{10}");
    assertThat(b).isEqualTo("to " + token);
    assertThat(other).doesNotContain(token);
  }

  @Test
  void tokensDifferAcrossSessionsAndTenants() {
    Masker otherSession =
        TestPolicies.compile(POLICY)
            .masker(MaskingKey.derive(key("tenant-secret-0001"), "acme", "s2"));
    Masker otherTenant =
        TestPolicies.compile(POLICY)
            .masker(MaskingKey.derive(key("tenant-secret-0001"), "globex", "s1"));

    String here = masker.maskText("jane@acme.io").text().toString();

    assertThat(otherSession.maskText("jane@acme.io").text().toString()).isNotEqualTo(here);
    assertThat(otherTenant.maskText("jane@acme.io").text().toString()).isNotEqualTo(here);
  }

  @Test
  void manifestNamesRuleLocationCountAndStrategyButNeverTheValue() {
    String text = "a " + GHP + " b " + GHP + " c jane@acme.io EMP-123456";

    MaskResult result = masker.maskText(text);

    assertThat(result.manifest().items())
        .containsExactly(
            new MaskedItem("github-pat", new Location.Text(2), 2, "redact"),
            new MaskedItem("email", new Location.Text(text.indexOf("jane")), 1, "hmac"),
            new MaskedItem("acme-employee-id", new Location.Text(text.indexOf("EMP")), 1, "hmac"));
    assertThat(result.manifest().toString())
        .doesNotContain(GHP)
        .doesNotContain("jane")
        .doesNotContain("123456");
  }

  @Test
  void cleanTextComesBackAsTheSameInstanceWithAnEmptyManifest() {
    String clean = "SELECT id, name FROM users WHERE id = 42";
    MaskingManifest.Builder manifest = MaskingManifest.builder();

    CharSequence out = masker.maskText(clean, manifest);

    assertThat(out).isSameAs(clean);
    assertThat(manifest.isEmpty()).isTrue();
  }

  @Test
  void cleanTextIsScannedWithoutAllocating() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String clean = "The quick brown fox jumps over the lazy dog. ".repeat(20);
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    for (int i = 0; i < 20_000; i++) {
      masker.maskText(clean, manifest); // warm up: JIT, thread-local scratch
    }
    long tid = Thread.currentThread().threadId();

    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 1_000; i++) {
      masker.maskText(clean, manifest);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;

    // a single allocation per call would be at least 16 KB over 1000 calls
    assertThat(allocated).isLessThan(8 * 1024);
  }

  @Test
  void rowsAreMaskedByColumnNameTypeAndContent() {
    RowMasker rows =
        masker.rows(
            List.of(
                new ColumnInfo("public", "users", "id", 23),
                new ColumnInfo("public", "users", "ssn", 25),
                new ColumnInfo("public", "users", "email", 25),
                ColumnInfo.of("reset_token", 25),
                ColumnInfo.of("photo", 17),
                ColumnInfo.of("notes", 25)));
    MaskingManifest.Builder manifest = MaskingManifest.builder();

    String[] masked =
        rows.maskRow(
            7,
            new String[] {"42", "123-45-6789", "jane@acme.io", "abc", "\\x89504e47", "key " + GHP},
            manifest);

    assertThat(masked[0]).isEqualTo("42");
    assertThat(masked[1]).isEqualTo("[REDACTED:ssn-column]");
    assertThat(masked[2]).isEqualTo("****e.io");
    assertThat(masked[3]).matches("tok_[0-9a-f]{10}");
    assertThat(masked[4]).isEqualTo("[REDACTED:bytea]");
    assertThat(masked[5]).isEqualTo("key [REDACTED:github-pat]");
    assertThat(manifest.build().items())
        .contains(new MaskedItem("ssn-column", new Location.Cell("ssn", 7), 1, "redact"))
        .contains(new MaskedItem("github-pat", new Location.Cell("notes", 7), 1, "redact"));
  }

  @Test
  void secretsAnywhereInALongTextAreFoundWhereverTheirKeywordWindowFalls() {
    String filler = "lorem ipsum dolor sit amet password policy notes\n".repeat(5000);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + (Samples.base64(64, 9) + "\n").repeat(40)
            + "-----END PRIVATE KEY-----";
    String text = filler + "x=" + GHP + " " + filler + pem + "\n" + filler + "tail " + GHP;

    MaskResult result = masker.maskText(text);

    String out = result.text().toString();
    assertThat(out).doesNotContain(GHP).doesNotContain(Samples.base64(64, 9));
    assertThat(result.manifest().items())
        .extracting(MaskedItem::ruleId, MaskedItem::count)
        .contains(org.assertj.core.groups.Tuple.tuple("github-pat", 2))
        .contains(org.assertj.core.groups.Tuple.tuple("private-key", 1));
  }

  @Test
  void cleanRowComesBackAsTheSameArray() {
    RowMasker rows = masker.rows(List.of(ColumnInfo.of("id", 23), ColumnInfo.of("name", 25)));
    String[] row = {"1", "Widget"};

    assertThat(rows.maskRow(0, row, MaskingManifest.builder())).isSameAs(row);
  }

  @Test
  void aTableQualifiedRuleMasksOnlyThatTablesColumnEvenUnderAnAlias() {
    RowMasker rows =
        masker.rows(
            List.of(
                new ColumnInfo("public", "users", "contact", 25, "email", false),
                new ColumnInfo("public", "vendors", "email", 25),
                ColumnInfo.of("email", 25)));
    String[] masked =
        rows.maskRow(
            0,
            new String[] {"reachable-at-0001", "vendor-0002", "unknown-0003"},
            MaskingManifest.builder());

    assertThat(masked[0]).endsWith("0001").doesNotContain("reachable");
    assertThat(masked).endsWith("vendor-0002", "unknown-0003");
    assertThat(masker.needsTableNames()).isTrue();
  }

  @Test
  void aColumnOfAnUnresolvedTableIsMaskedByEveryRuleThatNamesItsColumn() {
    RowMasker rows = masker.rows(List.of(ColumnInfo.ofUnresolvedTable("email", 25)));

    assertThat(rows.maskRow(0, new String[] {"reachable-at-0001"}, MaskingManifest.builder())[0])
        .endsWith("0001")
        .doesNotContain("reachable");
  }

  @Test
  void policiesWithoutTableQualifiedRulesDoNotAskForTableNames() {
    Masker plain =
        TestPolicies.compile(
                """
                {"schemaVersion": 1,
                 "masking": {"fields": [{"id": "ssn", "match": "*.ssn"}, {"id": "t", "match": "token"}]}}
                """)
            .masker(MaskingKey.derive(key("tenant-secret-0001"), "acme", "s1"));

    assertThat(plain.needsTableNames()).isFalse();
  }

  @Test
  void sqlNullStaysNull() {
    RowMasker rows = masker.rows(List.of(new ColumnInfo(null, "users", "ssn", 25)));

    assertThat(rows.maskRow(0, new String[] {null}, MaskingManifest.builder())[0]).isNull();
  }

  @Test
  void jsonPathsSecretKeysAndContentAreMasked() {
    String doc =
        """
        {"user": {"name": "Jane", "api_key": "k-123"},
         "items": [{"email": "a@acme.io"}, {"email": "b@acme.io"}],
         "config": {"client_secret": "q8Zr!2vLx#9TmW4p"},
         "log": "pushed with %s"}
        """
            .formatted(GHP);

    MaskResult result = masker.maskJson(doc);

    String out = result.text().toString();
    assertThat(out)
        .contains("\"api_key\":\"[REDACTED:user-key]\"")
        .contains("\"client_secret\":\"[REDACTED:generic-secret]\"")
        .contains("pushed with [REDACTED:github-pat]")
        .contains("\"name\":\"Jane\"")
        .doesNotContain("a@acme.io")
        .doesNotContain("b@acme.io");
    assertThat(result.manifest().items())
        .extracting(i -> i.location())
        .contains(
            new Location.JsonPath("$.user.api_key"),
            new Location.JsonPath("$.items[0].email"),
            new Location.JsonPath("$.items[1].email"),
            new Location.JsonPath("$.log"));
  }

  @Test
  void recursiveDescentFindsAKeyAtAnyDepth() {
    Masker deep =
        TestPolicies.compile(
                """
                {"schemaVersion": 1, "masking": {"secrets": {"enabled": false},
                 "jsonPaths": [{"id": "any-key", "path": "$..api_key"}]}}
                """)
            .masker();

    String out =
        deep.maskJson("{\"a\":{\"b\":[{\"api_key\":\"x1\"}]},\"api_key\":\"x2\"}")
            .text()
            .toString();

    assertThat(out)
        .isEqualTo(
            "{\"a\":{\"b\":[{\"api_key\":\"[REDACTED:any-key]\"}]},\"api_key\":\"[REDACTED:any-key]\"}");
  }

  @Test
  void malformedJsonIsStillMaskedAsText() {
    MaskResult result = masker.maskJson("{\"log\": \"" + GHP + "\", broken");

    assertThat(result.text().toString()).doesNotContain(GHP);
  }

  @Test
  void cleanJsonComesBackAsTheSameInstance() {
    Masker noPaths =
        TestPolicies.compile(
                "{\"schemaVersion\": 1, \"masking\": {\"secrets\": {\"generic\": {\"enabled\": false}}}}")
            .masker();
    String doc = "{\"id\": 1, \"name\": \"Widget\"}";

    assertThat(noPaths.maskJson(doc).text()).isSameAs(doc);
  }

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
