package dev.ward.policy.masking.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.TestPolicies;
import dev.ward.policy.masking.MaskResult;
import dev.ward.policy.masking.MaskedItem;
import dev.ward.policy.masking.Masker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Personal data detectors: what they find, and the numbers they must leave alone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PersonalDataTest {
  private static final Masker MASKER = TestPolicies.compile(TestPolicies.EVERYTHING).masker();

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "email|write to jane.doe+ward@example.co.uk today|jane.doe+ward@example.co.uk",
        "email|<a href=\"mailto:ops@acme.io\">|ops@acme.io",
        "phone|call +1 415 555 0132 now|+1 415 555 0132",
        "phone|mobile: +4915123456789|+4915123456789",
        "phone|office (415) 555-0132|(415) 555-0132",
        "phone|office 415-555-0132|415-555-0132",
        "phone|London 020 7946 0958|020 7946 0958",
        "credit-card|card 4111 1111 1111 1111 exp 12/29|4111 1111 1111 1111",
        "credit-card|amex 3782-822463-10005|3782-822463-10005",
        "credit-card|mc 5555555555554444.|5555555555554444",
        "iban|pay to DE89 3704 0044 0532 0130 00 please|DE89 3704 0044 0532 0130 00",
        "iban|iban=GB82WEST12345698765432|GB82WEST12345698765432",
        "ssn|ssn 123-45-6789 on file|123-45-6789",
        "ipv4|client 203.0.113.42 connected|203.0.113.42",
        "ipv6|from 2001:db8::8a2e:370:7334 via|2001:db8::8a2e:370:7334",
        "ipv6|full 2001:0db8:85a3:0000:0000:8a2e:0370:7334|2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "ipv6|loopback ::1 only|::1",
      })
  void personalDataIsMaskedAndNamed(String rule, String text, String value) {
    MaskResult result = MASKER.maskText(text);

    assertThat(result.text().toString()).doesNotContain(value);
    assertThat(result.manifest().items()).extracting(MaskedItem::ruleId).contains(rule);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "email|git@github.com:acme/ward.git",
        "email|@Override public void run()",
        "email|npm i left-pad@1.3.0",
        "email|user@localhost",
        "phone|order 20240115 shipped",
        "phone|id 4151234567890",
        "phone|released 2024-01-15 at 10:30:45",
        "phone|version 1.22.333.4444",
        "phone|SELECT count(*) FROM t WHERE id = 12345678",
        "credit-card|4111 1111 1111 1112",
        "credit-card|order 1234567890123456",
        "credit-card|0000 0000 0000 0000",
        "iban|DE89 3704 0044 0532 0130 01",
        "iban|ISO8601 TZ",
        "ssn|000-12-3456",
        "ssn|666-12-3456",
        "ssn|912-34-5678",
        "ssn|123-00-4567",
        "ssn|2024-01-15",
        "ssn|phone 555-123-45678",
        "ipv4|version 1.2.3.4.5",
        "ipv4|999.1.1.1",
        "ipv4|OID 1.3.6.1.4.1.343",
        "ipv6|std::vector<int> v; a::b",
        "ipv6|at 12:30:45 today",
        "ipv6|mac 00:1a:2b:3c:4d:5e",
        "ipv6|ratio 16:9 and 4:3",
      })
  void lookalikeIsNotTakenForPersonalData(String rule, String text) {
    MaskResult result = MASKER.maskText(text);

    assertThat(result.manifest().items()).extracting(MaskedItem::ruleId).doesNotContain(rule);
  }
}
