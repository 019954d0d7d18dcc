package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.Formats.END;
import static dev.ward.policy.masking.secrets.Formats.assigned;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/** Tokens of code hosts and work trackers: GitHub, GitLab, Atlassian, Linear, Postman. */
final class SourceControlSecrets {
  private SourceControlSecrets() {}

  static List<Detector> all() {
    return List.of(
        prefixed("github-pat", "ghp_[0-9a-zA-Z]{36}", "ghp_"),
        prefixed("github-fine-grained-pat", "github_pat_[0-9a-zA-Z_]{82}", "github_pat_"),
        prefixed("github-app-token", "(?:ghu|ghs)_[0-9a-zA-Z]{36}", "ghu_", "ghs_"),
        prefixed("github-oauth-token", "gho_[0-9a-zA-Z]{36}", "gho_"),
        prefixed("github-refresh-token", "ghr_[0-9a-zA-Z]{36}", "ghr_"),
        prefixed("gitlab-pat", "glpat-[0-9a-zA-Z_\\-]{20,300}(?:\\.[0-9a-z]{9})?", "glpat-"),
        prefixed(
            "gitlab-runner-token",
            "(?:glrt-[0-9a-zA-Z_\\-]{20,300}(?:\\.[0-9a-z]{9})?|GR1348941[0-9a-zA-Z_\\-]{20})",
            "glrt-",
            "gr1348941"),
        prefixed("gitlab-deploy-token", "gldt-[0-9a-zA-Z_\\-]{20,300}", "gldt-"),
        prefixed(
            "gitlab-token",
            "(?:glptt-[0-9a-f]{40}|gloas-[0-9a-zA-Z_\\-]{64}|glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_\\-]{20}"
                + "|glft-[0-9a-zA-Z_\\-]{20}|glimt-[0-9a-zA-Z_\\-]{25}|glagent-[0-9a-zA-Z_\\-]{50}"
                + "|glsoat-[0-9a-zA-Z_\\-]{20}|glffct-[0-9a-zA-Z_\\-]{20})",
            "glptt-",
            "gloas-",
            "glcbt-",
            "glft-",
            "glimt-",
            "glagent-",
            "glsoat-",
            "glffct-"),
        RegexDetector.rule(
                "atlassian-api-token",
                "\\b(ATATT3[A-Za-z0-9_\\-=]{186})"
                    + END
                    + "|"
                    + assigned("atlassian|confluence|jira", "[a-z0-9]{20}[a-f0-9]{4}"))
            .keywords("atatt3", "atlassian", "confluence", "jira")
            .group(RegexDetector.FIRST_MATCHED_GROUP)
            .minEntropy(3.5)
            .build(),
        prefixed("linear-api-key", "lin_api_[a-zA-Z0-9]{40}", "lin_api_"),
        prefixed("postman-api-key", "PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}", "pmak-"));
  }

  /** A token recognised by its vendor prefix; the whole token is masked. */
  static Detector prefixed(String id, String token, String... keywords) {
    return RegexDetector.rule(id, "\\b(" + token + ")" + END)
        .keywords(keywords)
        .group(1)
        .minEntropy(2.5)
        .build();
  }
}
