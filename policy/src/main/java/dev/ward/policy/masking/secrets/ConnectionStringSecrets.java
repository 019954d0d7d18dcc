package dev.ward.policy.masking.secrets;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/**
 * Passwords inside connection strings: URIs with user info ({@code postgres://user:pass@host}) and
 * JDBC {@code password=} parameters. Only the password is masked, so the host stays readable.
 */
final class ConnectionStringSecrets {
  private ConnectionStringSecrets() {}

  private static final String SCHEMES =
      "postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle"
          + "|clickhouse|cockroachdb|couchdb|neo4j|nats|kafka|s?ftp|smtps?|ldaps?|https?";

  static List<Detector> all() {
    return List.of(
        RegexDetector.rule(
                "connection-string-password",
                "(?i)\\b(?:jdbc:)?(?:"
                    + SCHEMES
                    + ")://[^\\s:/@\"'`]{1,128}:([^\\s@/\"'`]{1,256})@")
            .keywords("://")
            .group(1)
            .accept(Placeholders::notPlaceholder)
            .priority(Detector.Priority.GENERIC)
            .build(),
        RegexDetector.rule(
                "jdbc-password",
                "(?i)jdbc:[a-z0-9:]+[^\\s\"'`]*?[?;&](?:password|pwd)=([^;&\\s\"'`]+)")
            .keywords("jdbc:")
            .group(1)
            .accept(Placeholders::notPlaceholder)
            .priority(Detector.Priority.GENERIC)
            .build(),
        RegexDetector.rule(
                "authorization-header",
                "(?i)\\bauthorization[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?(?:bearer|basic|token|bot)\\s+"
                    + "([A-Za-z0-9._~+/=\\-]{8,})")
            .keywords("authorization")
            .windowAfter(4096)
            .group(1)
            .minEntropy(3.0)
            .accept(Placeholders::notPlaceholder)
            .priority(Detector.Priority.GENERIC)
            .build());
  }
}
