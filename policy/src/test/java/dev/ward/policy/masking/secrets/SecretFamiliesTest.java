package dev.ward.policy.masking.secrets;

import static dev.ward.policy.Samples.alnum;
import static dev.ward.policy.Samples.base32;
import static dev.ward.policy.Samples.base64;
import static dev.ward.policy.Samples.digits;
import static dev.ward.policy.Samples.hex;
import static dev.ward.policy.Samples.letters;
import static dev.ward.policy.Samples.lowerAlnum;
import static dev.ward.policy.Samples.upperAlnum;
import static dev.ward.policy.Samples.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.TestPolicies;
import dev.ward.policy.masking.MaskResult;
import dev.ward.policy.masking.MaskedItem;
import dev.ward.policy.masking.Masker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in secret family is found in a realistic sample and left alone in a look-alike. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretFamiliesTest {
  private static final Masker MASKER = TestPolicies.compile(TestPolicies.EVERYTHING).masker();

  private static final String PEM_BODY =
      String.join("\n", base64(64, 1), base64(64, 2), base64(64, 3), base64(40, 4));

  /** Family id, a text holding the secret, the secret itself, and a look-alike that is not one. */
  static Stream<Arguments> families() {
    String ghp = "ghp_" + alnum(36, 1);
    return Stream.of(
        row("aws-access-key", "key id: %s", "AKIA" + base32(16, 2), "AKIAIOSFODNN7EXAMPLE"),
        row(
            "aws-secret-key",
            "aws_secret_access_key = %s",
            base64(40, 3),
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        row("google-api-key", "key=%s&q=x", "AIza" + alnum(35, 4), "AIzaShortValue123"),
        row(
            "gcp-service-account-key",
            "{\"type\": \"service_account\", \"private_key_id\": \"%s\"}",
            hex(40, 5),
            "{\"private_key_id\": \"see-docs\"}"),
        row(
            "azure-storage-key",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=%s;EndpointSuffix=core.windows.net",
            base64(86, 6) + "==",
            "AccountKey=<your-account-key>"),
        row(
            "azure-ad-client-secret",
            "client_secret: %s",
            "Ab3" + "8Q~" + alnum(34, 7),
            "the Q~ operator"),
        row("alibaba-access-key-id", "ak=%s", "LTAI" + alnum(20, 8), "LTAI is the key prefix"),
        row(
            "alibaba-secret-key",
            "alibaba_secret = %s",
            lowerAlnum(30, 9),
            "alibaba_region = cn-hangzhou"),
        row("digitalocean-token", "DO_TOKEN=%s", "dop_v1_" + hex(64, 10), "dop_v1_ is a prefix"),
        row("heroku-api-key", "HEROKU_API_KEY=%s", uuid(11), "request_id=" + uuid(12)),
        row("databricks-token", "token %s", "dapi" + hex(32, 13), "dapi is an API prefix"),
        row(
            "confluent-api-key",
            "confluent_api_secret: %s",
            lowerAlnum(64, 14),
            "confluent_cluster: lkc-12345"),
        row("github-pat", "token %s used", ghp, "ghp_" + "x".repeat(36)),
        row("github-fine-grained-pat", "%s", "github_pat_" + alnum(82, 15), "github_pat_short"),
        row("github-app-token", "%s", "ghs_" + alnum(36, 16), "ghs_notatoken"),
        row("github-oauth-token", "%s", "gho_" + alnum(36, 17), "gho_notatoken"),
        row("github-refresh-token", "%s", "ghr_" + alnum(36, 18), "ghr_notatoken"),
        row("gitlab-pat", "%s", "glpat-" + alnum(20, 19), "glpat-short"),
        row("gitlab-runner-token", "%s", "glrt-" + alnum(20, 20), "glrt-short"),
        row("gitlab-deploy-token", "%s", "gldt-" + alnum(20, 21), "gldt-short"),
        row("gitlab-token", "%s", "glptt-" + hex(40, 22), "glptt-short"),
        row("atlassian-api-token", "%s", "ATATT3" + alnum(186, 23), "ATATT3 short"),
        row("linear-api-key", "%s", "lin_api_" + alnum(40, 24), "lin_api_short"),
        row("postman-api-key", "%s", "PMAK-" + hex(24, 25) + "-" + hex(34, 26), "PMAK-short"),
        row(
            "slack-bot-token",
            "%s",
            "xoxb-" + digits(12, 27) + "-" + digits(12, 28) + "-" + alnum(24, 29),
            "xoxb-short"),
        row(
            "slack-user-token",
            "%s",
            "xoxp-"
                + digits(12, 30)
                + "-"
                + digits(12, 31)
                + "-"
                + digits(12, 32)
                + "-"
                + hex(32, 33),
            "xoxp-short"),
        row(
            "slack-app-token",
            "%s",
            "xapp-1-A" + upperAlnum(10, 34) + "-" + digits(13, 35) + "-" + hex(64, 36),
            "xapp-1-"),
        row(
            "slack-webhook-url",
            "https://hooks.slack.com/services/%s",
            "T" + upperAlnum(8, 37) + "/B" + upperAlnum(8, 38) + "/" + alnum(24, 39),
            "https://hooks.slack.com/services/"),
        row(
            "discord-bot-token",
            "DISCORD_TOKEN=%s",
            "M" + alnum(25, 40) + "." + alnum(6, 41) + "." + alnum(27, 42),
            "DISCORD_TOKEN=unset"),
        row(
            "discord-webhook-url",
            "https://discord.com/api/webhooks/" + digits(18, 43) + "/%s",
            alnum(68, 44),
            "https://discord.com/api/webhooks/"),
        row(
            "telegram-bot-token",
            "bot%s/getMe",
            digits(10, 45) + ":AA" + alnum(33, 46),
            "12:AA is a time"),
        row("twilio-api-key", "%s", "SK" + hex(32, 47), "SK" + "0".repeat(32)),
        row("twilio-account-sid", "%s", "AC" + hex(32, 48), "ACCOUNT"),
        row("sendgrid-api-key", "%s", "SG." + alnum(22, 49) + "." + alnum(43, 50), "SG.short"),
        row("mailgun-api-key", "%s", "key-" + hex(32, 51), "key-value pairs"),
        row("mailchimp-api-key", "%s", hex(32, 52) + "-us12", "en-us"),
        row("stripe-secret-key", "%s", "sk_live_" + alnum(24, 53), "sk_live_"),
        row("stripe-webhook-secret", "%s", "whsec_" + alnum(32, 54), "whsec_short"),
        row("square-token", "%s", "sq0atp-" + alnum(22, 55), "sq0atp-short"),
        row(
            "paypal-braintree-access-token",
            "%s",
            "access_token$production$" + lowerAlnum(16, 56) + "$" + hex(32, 57),
            "access_token$production$"),
        row("shopify-token", "%s", "shpat_" + hex(32, 58), "shpat_short"),
        row(
            "openai-api-key",
            "%s",
            "sk-proj-" + alnum(74, 59) + "T3BlbkFJ" + alnum(74, 60),
            "sk-learn is a library"),
        row(
            "anthropic-api-key",
            "%s",
            "sk-ant-api03-" + alnum(93, 61) + "AA",
            "sk-ant-api03-short"),
        row("huggingface-token", "%s", "hf_" + letters(34, 62), "hf_short"),
        row(
            "npm-token",
            "//registry.npmjs.org/:_authToken=%s",
            "npm_" + alnum(36, 63),
            "npm_short"),
        row("pypi-token", "%s", "pypi-AgEIcHlwaS5vcmc" + alnum(60, 64), "pypi-AgEIcHlwaS5vcmc"),
        row("datadog-api-key", "DD_API_KEY=%s", hex(32, 65), "DD_SITE=datadoghq.eu"),
        row("new-relic-key", "%s", "NRAK-" + upperAlnum(27, 66), "NRAK-short"),
        row("sentry-token", "%s", "sntryu_" + hex(64, 67), "sntryu_short"),
        row("grafana-token", "%s", "glsa_" + alnum(32, 68) + "_" + hex(8, 69), "glsa_short"),
        row("vault-token", "VAULT_TOKEN=%s", "hvs." + alnum(24, 70), "hvs.short"),
        row(
            "terraform-cloud-token",
            "%s",
            alnum(14, 71) + ".atlasv1." + alnum(64, 72),
            "atlasv1 docs"),
        row("doppler-token", "%s", "dp.pt." + alnum(43, 73), "dp.pt.short"),
        row(
            "openssh-private-key",
            "%s",
            "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + PEM_BODY
                + "\n-----END OPENSSH PRIVATE KEY-----",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@laptop"),
        row(
            "private-key",
            "key:\n%s\n",
            "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\n" + PEM_BODY + "\n-----END PUBLIC KEY-----"),
        row(
            "jwt",
            "Bearer-less token %s",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpv"
                + "aG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "eyJ is how base64 JSON starts"),
        row(
            "connection-string-password", "postgres://app:%s@db.internal:5432/app",
            "Xk9pL2mQ7v", "postgres://app:${DB_PASSWORD}@db.internal:5432/app"),
        row(
            "jdbc-password",
            "jdbc:postgresql://db:5432/app?user=app&password=%s",
            "hunter2z",
            "jdbc:postgresql://db:5432/app?user=app"),
        row(
            "authorization-header",
            "Authorization: Bearer %s",
            alnum(40, 74),
            "Authorization: Bearer <token>"),
        row("generic-secret", "DB_PASSWORD=%s", "q8Zr!2vLx#9Tm", "DB_PASSWORD=changeme"));
  }

  private static Arguments row(String family, String template, String secret, String lookalike) {
    return Arguments.of(family, template.formatted(secret), secret, lookalike);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void secretOfEachFamilyIsMaskedAndNamed(
      String family, String text, String secret, String unused) {
    MaskResult result = MASKER.maskText(text);

    assertThat(result.text().toString()).doesNotContain(secret);
    assertThat(result.manifest().items()).extracting(MaskedItem::ruleId).contains(family);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void lookalikeOfEachFamilyIsNotTakenForIt(String family, String u1, String u2, String lookalike) {
    MaskResult result = MASKER.maskText(lookalike);

    assertThat(result.manifest().items()).extracting(MaskedItem::ruleId).doesNotContain(family);
  }

  @Test
  void everyBuiltInFamilyHasASampleInTheTable() {
    List<String> tested = families().map(a -> (String) a.get()[0]).toList();

    assertThat(tested).containsAll(SecretCatalog.familyIds());
    assertThat(SecretCatalog.familyIds()).hasSizeGreaterThanOrEqualTo(40);
  }
}
