package dev.ward.bench.masking;

import java.util.Random;

/**
 * The texts the benchmark masks: a mix of source code, SQL, logs and prose such as agents read
 * back, clean or with a secret or personal value every kilobyte or so.
 */
final class Corpus {
  /** Characters per text. */
  static final int SIZE = 1_000_000;

  private static final String[] CLEAN_LINES = {
    "public final class OrderService {",
    "  private final OrderRepository orders; // injected",
    "  String password = System.getenv(\"DB_PASSWORD\");",
    "SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id",
    "  WHERE o.created_at > now() - interval '7 days' ORDER BY o.total DESC LIMIT 100;",
    "2024-01-15T10:30:45.123Z INFO  [http-nio-8080-exec-4] request completed in 123 ms",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (HEAD -> main, origin/main)",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
    "    at dev.ward.agent.Agent.main(Agent.java:42) ~[ward-agent.jar:0.1.0]",
    "  \"version\": \"1.22.3\", \"id\": \"3f2504e0-4f89-41d3-9a0c-0305e82c3301\",",
    "The access key rotation runs weekly; see the secret management guide for details.",
    "| 42 | Widget | 19.99 | 2024-03-01 | shipped |",
  };

  private Corpus() {}

  static String clean() {
    StringBuilder b = new StringBuilder(SIZE + 200);
    int i = 0;
    while (b.length() < SIZE) {
      b.append(CLEAN_LINES[i++ % CLEAN_LINES.length]).append('\n');
    }
    return b.substring(0, SIZE);
  }

  static String secretLaden() {
    Random random = new Random(42);
    StringBuilder b = new StringBuilder(SIZE + 400);
    int i = 0;
    while (b.length() < SIZE) {
      b.append(CLEAN_LINES[i++ % CLEAN_LINES.length]).append('\n');
      if (i % 12 == 0) {
        b.append(secret(i / 12, random)).append('\n');
      }
    }
    return b.substring(0, SIZE);
  }

  private static String secret(int n, Random random) {
    return switch (n % 8) {
      case 0 -> "export GITHUB_TOKEN=ghp_" + alnum(36, random);
      case 1 -> "aws_access_key_id = AKIA" + upper(16, random);
      case 2 -> "DATABASE_URL=postgres://app:" + alnum(16, random) + "@db.internal:5432/app";
      case 3 -> "contact: jane.doe" + n + "@example.com, +1 415 555 0132";
      case 4 -> "Authorization: Bearer " + alnum(40, random);
      case 5 -> "card 4111 1111 1111 1111 exp 12/29";
      case 6 -> "OPENAI_API_KEY=sk-proj-" + alnum(74, random) + "T3BlbkFJ" + alnum(74, random);
      default -> "client 203.0.113." + (n % 250) + " secret: " + alnum(24, random);
    };
  }

  private static String alnum(int n, Random random) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n, random);
  }

  private static String upper(int n, Random random) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n, random);
  }

  private static String pick(String alphabet, int n, Random random) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
