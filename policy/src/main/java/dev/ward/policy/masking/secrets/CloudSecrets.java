package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.Formats.END;
import static dev.ward.policy.masking.secrets.Formats.UUID;
import static dev.ward.policy.masking.secrets.Formats.assigned;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/** Credentials of cloud providers: AWS, Google Cloud, Azure, Alibaba, DigitalOcean, Heroku. */
final class CloudSecrets {
  private CloudSecrets() {}

  static List<Detector> all() {
    return List.of(
        RegexDetector.rule(
                "aws-access-key", "\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b")
            .keywords("akia", "asia", "abia", "acca", "a3t")
            .group(1)
            .minEntropy(3.0)
            .accept(Formats::notExample)
            .build(),
        RegexDetector.rule(
                "aws-secret-key",
                "(?i)(?:aws[\\w.\\-]{0,20}secret[\\w.\\-]{0,20}|secret_?access_?key)[\"'`]?\\s{0,3}"
                    + "(?::=|=>|=|:)\\s{0,3}[\"'`]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)")
            .keywords("aws", "secretaccesskey", "secret_access_key")
            .group(1)
            .minEntropy(3.5)
            .accept(Formats::notExample)
            .build(),
        RegexDetector.rule("google-api-key", "\\b(AIza[0-9A-Za-z_\\-]{35})" + END)
            .keywords("aiza")
            .group(1)
            .minEntropy(3.5)
            .build(),
        RegexDetector.rule(
                "gcp-service-account-key", "\"private_key_id\"\\s*:\\s*\"([0-9a-f]{40})\"")
            .keywords("private_key_id")
            .group(1)
            .build(),
        RegexDetector.rule(
                "azure-storage-key",
                "(?i)(?:AccountKey|SharedAccessKey)\\s*=\\s*([A-Za-z0-9+/]{40,86}={0,2})"
                    + "(?:[^A-Za-z0-9+/=]|$)")
            .keywords("accountkey", "sharedaccesskey")
            .group(1)
            .minEntropy(3.5)
            .build(),
        RegexDetector.rule(
                "azure-ad-client-secret",
                "(?:^|[\\\\'\"`\\s>=:(,)])([a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.\\-]{31,34})"
                    + "(?:$|[\\\\'\"`\\s<),;])")
            .keywords("q~")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule("alibaba-access-key-id", "\\b(LTAI[A-Za-z0-9]{20})\\b")
            .keywords("ltai")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "alibaba-secret-key", assigned("alibaba|aliyun|alicloud", "[a-z0-9]{30}"))
            .keywords("alibaba", "aliyun", "alicloud")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule("digitalocean-token", "\\b(do[opr]_v1_[a-f0-9]{64})\\b")
            .keywords("dop_v1_", "doo_v1_", "dor_v1_")
            .group(1)
            .build(),
        RegexDetector.rule(
                "heroku-api-key",
                "\\b(HRKU-AA[0-9a-zA-Z_\\-]{58})" + END + "|" + assigned("heroku", UUID))
            .keywords("hrku-aa", "heroku")
            .group(RegexDetector.FIRST_MATCHED_GROUP)
            .build(),
        RegexDetector.rule("databricks-token", "\\b(dapi[a-f0-9]{32}(?:-[0-9])?)\\b")
            .keywords("dapi")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "confluent-api-key", assigned("confluent", "[a-z0-9]{16}|[a-z0-9+/]{64}"))
            .keywords("confluent")
            .group(1)
            .minEntropy(3.0)
            .build());
  }
}
