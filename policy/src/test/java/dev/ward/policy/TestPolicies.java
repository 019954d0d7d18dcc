package dev.ward.policy;

/** Policies the tests compile. */
public final class TestPolicies {
  private TestPolicies() {}

  /** Every secret family and every personal data detector, redacting. */
  public static final String EVERYTHING =
      """
      {"schemaVersion": 1,
       "masking": {
         "secrets": {"enabled": true, "families": ["*"], "strategy": "redact"},
         "pii": {"email": {}, "phone": {}, "creditCard": {}, "iban": {}, "ssn": {},
                 "ipv4": {}, "ipv6": {}}
       }}
      """;

  /** Compiles a document that must be valid. */
  public static CompiledPolicy compile(String json) {
    try {
      return PolicyCompiler.compile(json);
    } catch (PolicyValidationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
