package dev.ward.policy;

/** Ready-made policies. */
public final class Policies {
  /**
   * The default policy: masks every built-in secret family (generic assignments included), denies
   * DROP and TRUNCATE, lets everyone use every connection read-write, records best-effort.
   */
  public static final String DEFAULT_POLICY_JSON =
      """
      {
        "schemaVersion": 1,
        "masking": {
          "secrets": {"enabled": true, "families": ["*"], "strategy": "redact"}
        },
        "guardrails": {
          "sql": [
            {
              "id": "no-drop-or-truncate",
              "operations": ["drop", "truncate"],
              "action": "deny",
              "reason": "Dropping or truncating tables is not allowed through Ward."
            }
          ]
        },
        "access": [
          {"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}
        ],
        "recording": {"mode": "best-effort"}
      }
      """;

  private Policies() {}

  /** The default policy, compiled. */
  public static CompiledPolicy defaultPolicy() {
    try {
      return PolicyCompiler.compile(DEFAULT_POLICY_JSON);
    } catch (PolicyValidationException e) {
      throw new IllegalStateException(
          "the built-in default policy is invalid: " + e.getMessage(), e);
    }
  }
}
