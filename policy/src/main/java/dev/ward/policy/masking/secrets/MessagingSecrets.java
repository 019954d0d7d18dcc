package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.Formats.END;
import static dev.ward.policy.masking.secrets.Formats.assigned;
import static dev.ward.policy.masking.secrets.SourceControlSecrets.prefixed;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/** Chat, messaging and e-mail services: Slack, Discord, Telegram, Twilio, SendGrid, Mailgun... */
final class MessagingSecrets {
  private MessagingSecrets() {}

  static List<Detector> all() {
    return List.of(
        prefixed("slack-bot-token", "xoxb-[0-9]{8,14}-[a-zA-Z0-9\\-]{18,100}", "xoxb-"),
        prefixed(
            "slack-user-token",
            "xox[peoars]-[0-9A-Za-z\\-]{20,200}",
            "xoxp-",
            "xoxe-",
            "xoxo-",
            "xoxa-",
            "xoxr-",
            "xoxs-"),
        prefixed("slack-app-token", "xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-zA-Z0-9]+", "xapp-"),
        RegexDetector.rule(
                "slack-webhook-url",
                "(?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/"
                    + "([A-Za-z0-9+/]{43,56})")
            .keywords("hooks.slack.com")
            .group(1)
            .build(),
        RegexDetector.rule(
                "discord-bot-token",
                assigned(
                    "discord",
                    "[MNO][A-Za-z0-9_\\-]{23,27}\\.[A-Za-z0-9_\\-]{6}\\.[A-Za-z0-9_\\-]{27,40}"
                        + "|[a-f0-9]{64}"))
            .keywords("discord")
            .group(1)
            .minEntropy(3.0)
            .build(),
        RegexDetector.rule(
                "discord-webhook-url",
                "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/"
                    + "([A-Za-z0-9_\\-]{60,68})")
            .keywords("discord")
            .group(1)
            .build(),
        RegexDetector.rule(
                "telegram-bot-token",
                // also inside Bot API URLs: https://api.telegram.org/bot<token>/getMe
                "(?:^|[^0-9A-Za-z_]|bot)([0-9]{8,10}:AA[0-9A-Za-z_\\-]{33})" + END)
            .keywords(":aa")
            .group(1)
            .minEntropy(3.0)
            .build(),
        new PrefixedHexDetector("twilio-api-key", "SK", 32),
        new PrefixedHexDetector("twilio-account-sid", "AC", 32),
        prefixed("sendgrid-api-key", "SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43}", "sg."),
        RegexDetector.rule(
                "mailgun-api-key",
                "\\b(key-[a-f0-9]{32})\\b|"
                    + assigned("mailgun", "[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}"))
            .keywords("key-", "mailgun")
            .group(RegexDetector.FIRST_MATCHED_GROUP)
            .minEntropy(3.0)
            .build(),
        prefixed("mailchimp-api-key", "[0-9a-f]{32}-us[0-9]{1,2}", "-us"));
  }
}
