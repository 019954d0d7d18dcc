package dev.ward.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Samples;
import dev.ward.policy.TestPolicies;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ordinary code, SQL and prose pass through the full rule set untouched. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CleanTextTest {
  private static final Masker MASKER = TestPolicies.compile(TestPolicies.EVERYTHING).masker();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "id: 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (HEAD -> main)",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
            + " incididunt ut labore et dolore magna aliqua.",
        "SELECT u.id, u.name, count(o.id) FROM users u JOIN orders o ON o.user_id = u.id"
            + " WHERE o.created_at > now() - interval '7 days' GROUP BY 1, 2 ORDER BY 3 DESC"
            + " LIMIT 50;",
        "String password = System.getenv(\"DB_PASSWORD\");",
        "password: ${DB_PASSWORD}",
        "password=changeme",
        "api_key = os.environ[\"API_KEY\"]",
        "token_url: https://auth.example.com/oauth/token",
        "const secretName = props.secretName;",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "    at dev.ward.agent.Agent.main(Agent.java:42)",
        "Mon Jan 15 10:30:45 UTC 2024 took 1234 ms, 56.7% done, port 5432",
        "private static final long serialVersionUID = 1234567890123456789L;",
        "  \"version\": \"1.22.3\", \"license\": \"Apache-2.0\"",
        "The access key rotation runs weekly; see the secret management guide.",
        "LOG:  duration: 0.123 ms  statement: BEGIN READ ONLY",
      })
  void ordinaryTextIsLeftAlone(String text) {
    MaskResult result = MASKER.maskText(text);

    assertThat(result.manifest().items()).isEmpty();
    assertThat(result.text()).isSameAs(text);
  }

  @Test
  void base64ImageDataIsLeftAlone() {
    String image = "data:image/png;base64," + Samples.base64(4000, 99) + "==";

    MaskResult result = MASKER.maskText(image);

    assertThat(result.manifest().items()).isEmpty();
  }
}
