package dev.ward.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.masking.pii.CardNumberDetector;
import dev.ward.policy.masking.pii.IbanDetector;
import dev.ward.policy.masking.pii.Ipv4Detector;
import dev.ward.policy.masking.pii.Ipv6Detector;
import dev.ward.policy.masking.pii.PhoneDetector;
import dev.ward.policy.masking.pii.SsnDetector;
import dev.ward.policy.masking.secrets.SecretCatalog;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scanner runs keyword-less detectors only in trigger windows and keyword detectors only at or
 * around their keywords; on long mixed texts it must mask exactly the characters that running every
 * detector over the whole text masks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TriggerWindowsTest {

  private static final String[] FRAGMENTS = {
    "card 4111 1111 1111 1111 exp 12/29",
    "amex 3782-822463-10005",
    "ssn 123-45-6789 on file",
    "call +1 415 555 0132 now",
    "office (415) 555-0132",
    "London 020 7946 0958",
    "pay to DE89 3704 0044 0532 0130 00 please",
    "iban=GB82WEST12345698765432",
    "client 203.0.113.42 connected",
    "from 2001:db8::8a2e:370:7334 via",
    "loopback ::1 only",
    "twilio SK0123456789abcdef0123456789abcdef",
    "sid AC0123456789abcdef0123456789abcdef",
    "password = \"Zq8#rT2!vLx9pQw4\"",
    "secret: 7f9a2b4c8d1e6f3a",
    "DB_TOKEN=Xy7pQ2rS9tU4vW1z",
    "export GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "aws_access_key_id = AKIAQWERTYUIOPASDFGH",
    "2024-01-15T10:30:45.123Z INFO request completed in 123 ms",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "id 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "std::vector<int> v; a::b::c",
    "version 1.22.333.4444 and 10:30:45",
    "ÿĀ non-ascii Ω 日本語 text 𝔘 with ŭ",
    "token_url: https://auth.example.com/oauth/token",
  };

  private static final String SEPARATORS = " \n\t,;:.-_()[]{}\"'=/";

  @Test
  void windowedScanMasksWhatAWholeTextScanMasks() {
    List<Detector> detectors = new ArrayList<>(SecretCatalog.detectors(3.0));
    detectors.add(new CardNumberDetector());
    detectors.add(new SsnDetector());
    detectors.add(new PhoneDetector());
    detectors.add(new IbanDetector());
    detectors.add(new Ipv4Detector());
    detectors.add(new Ipv6Detector());
    TextScanner scanner = new TextScanner(detectors);
    Random random = new Random(7);
    int masked = 0;
    for (int round = 0; round < 100; round++) {
      String text = mixedText(random, 200 + random.nextInt(6000));
      BitSet expected = wholeTextScan(detectors, text);
      BitSet actual = new BitSet();
      TextScanner.Spans spans = scanner.scan(text);
      if (spans != null) {
        for (int s = 0; s < spans.size(); s++) {
          actual.set(spans.starts()[s], spans.ends()[s]);
        }
      }
      assertThat(actual).as("masked characters of %s", text).isEqualTo(expected);
      masked += expected.cardinality();
    }
    assertThat(masked).isGreaterThan(3_000);
  }

  private static BitSet wholeTextScan(List<Detector> detectors, String text) {
    BitSet masked = new BitSet();
    for (int d = 0; d < detectors.size(); d++) {
      Findings findings = Findings.fresh();
      findings.startDetector(d);
      detectors.get(d).detect(text, findings);
      for (int i = 0; i < findings.count(); i++) {
        masked.set(findings.start(i), findings.end(i));
      }
    }
    return masked;
  }

  private static String mixedText(Random random, int length) {
    StringBuilder b = new StringBuilder(length + 100);
    while (b.length() < length) {
      switch (random.nextInt(4)) {
        case 0 -> b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 1 -> {
          for (int i = random.nextInt(12); i >= 0; i--) {
            b.append((char) ('0' + random.nextInt(10)));
          }
        }
        case 2 -> {
          for (int i = random.nextInt(40); i >= 0; i--) {
            b.append("0123456789abcdefABCDEF:".charAt(random.nextInt(23)));
          }
        }
        default -> {
          for (int i = random.nextInt(30); i >= 0; i--) {
            b.append((char) ('a' + random.nextInt(26)));
          }
        }
      }
      b.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
    }
    return b.toString();
  }
}
