package dev.ward.policy.masking.secrets;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.RegexDetector;
import java.util.List;

/** Private keys in PEM and OpenSSH armour, and JSON Web Tokens. */
final class KeyMaterialSecrets {
  private KeyMaterialSecrets() {}

  /**
   * Body of an armoured key: up to its END line, or (when the text was cut off) the run of base64,
   * header lines and escaped newlines that follows the BEGIN line. JSON carries keys with literal
   * {@code \n} escapes, so those count as line breaks.
   */
  private static String armoured(String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    return begin + "(?:[\\s\\S]{32,}?" + end + "|(?:[A-Za-z0-9+/=\\s:,\\-]|\\\\[nr]){32,})";
  }

  static List<Detector> all() {
    return List.of(
        RegexDetector.rule("openssh-private-key", armoured("OPENSSH PRIVATE KEY"))
            .keywords("begin openssh private key")
            .windowAfter(Integer.MAX_VALUE)
            .build(),
        RegexDetector.rule("private-key", armoured("[ A-Z0-9_\\-]{0,100}PRIVATE KEY(?: BLOCK)?"))
            .keywords("private key-----", "private key block-----")
            .windowAfter(Integer.MAX_VALUE)
            .build(),
        RegexDetector.rule(
                "jwt",
                "\\b(eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]*)"
                    + "(?:[^A-Za-z0-9_\\-.]|$)")
            .keywords("eyj")
            .windowAfter(16 * 1024)
            .group(1)
            .minEntropy(3.0)
            .build());
  }
}
