package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.Formats.END;
import static dev.ward.policy.masking.secrets.Formats.assigned;
import static dev.ward.policy.masking.secrets.SourceControlSecrets.prefixed;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/**
 * Package registries, observability and infrastructure tools: npm, PyPI, Datadog, New Relic,
 * Sentry, Grafana, Vault, Terraform Cloud, Doppler.
 */
final class DevOpsSecrets {
  private DevOpsSecrets() {}

  static List<Detector> all() {
    return List.of(
        prefixed("npm-token", "npm_[A-Za-z0-9]{36}", "npm_"),
        prefixed(
            "pypi-token", "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,1000}", "pypi-ageichlwas5vcmc"),
        RegexDetector.rule(
                "datadog-api-key",
                assigned(
                    "datadog[\\w.\\-]{0,20}|dd[_.\\-]?(?:api|app(?:lication)?)[_.\\-]?key",
                    "[a-f0-9]{40}|[a-f0-9]{32}"))
            .keywords("datadog", "dd_api", "dd_app", "dd-api", "dd-app", "ddapi", "ddapp")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "new-relic-key",
                "\\b(NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_\\-]{32}|NRJS-[a-f0-9]{19})"
                    + END
                    + "|"
                    + assigned("new[_.\\-]?relic", "[a-f0-9]{36}NRAL|[a-f0-9]{40}"))
            .keywords("nrak-", "nrii-", "nrjs-", "newrelic", "new_relic", "new-relic", "new.relic")
            .group(RegexDetector.FIRST_MATCHED_GROUP)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "sentry-token",
                "\\b(sntrys_eyJ[A-Za-z0-9+/=_]{60,400}|sntryu_[a-f0-9]{64})"
                    + END
                    + "|"
                    + assigned("sentry", "[a-f0-9]{64}"))
            .keywords("sntrys_", "sntryu_", "sentry")
            .group(RegexDetector.FIRST_MATCHED_GROUP)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "grafana-token",
                "\\b(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"
                    + "|eyJrIjoi[A-Za-z0-9]{70,400}={0,2})"
                    + END)
            .keywords("glc_", "glsa_", "eyjrijoi")
            .group(1)
            .minEntropy(2.5)
            .windowAfter(420)
            .build(),
        RegexDetector.rule("vault-token", "\\b(hv[sbr]\\.[A-Za-z0-9_\\-]{24,300})" + END)
            .keywords("hvs.", "hvb.", "hvr.")
            .group(1)
            .minEntropy(3.5)
            .build(),
        prefixed(
            "terraform-cloud-token",
            "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=\\-]{60,70}",
            "atlasv1"),
        prefixed(
            "doppler-token",
            "dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9_\\-]{40,44}",
            "dp.pt.",
            "dp.st.",
            "dp.ct.",
            "dp.sa.",
            "dp.scim.",
            "dp.audit."));
  }
}
