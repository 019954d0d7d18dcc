import { describe, expect, it } from "vitest";
import { entryOf, integrityText } from "../src/replay-model";

describe("replay timeline", () => {
  it("shows a statement with its masked sample rows and nulls", () => {
    const e = entryOf({
      seq: 3,
      at: "2026-11-25T12:00:00Z",
      type: "statement",
      event: {
        statement: {
          text: "SELECT id, api_key FROM customers",
          commandTag: "SELECT 2",
          rowCount: "2",
          columns: [{ name: "id" }, { name: "api_key" }],
          sampleRows: [{ values: ["1", "[REDACTED:aws-access-key]"] }, { values: ["2", ""], nulls: [false, true] }],
        },
      },
    });
    expect(e.title).toBe("SELECT 2");
    expect(e.tone).toBe("ok");
    expect(e.code).toContain("FROM customers");
    expect(e.columns).toEqual(["id", "api_key"]);
    expect(e.rows).toEqual([
      ["1", "[REDACTED:aws-access-key]"],
      ["2", "NULL"],
    ]);
  });

  it("names the result columns of a statement recorded without sample rows", () => {
    const e = entryOf({
      seq: 2,
      at: "",
      type: "statement",
      event: { statement: { text: "SELECT id, email FROM customers", commandTag: "SELECT 1", rowCount: "1", columns: [{ name: "id" }, { name: "email" }] } },
    });
    expect(e.details).toContainEqual(["Columns", "id, email"]);
    expect(e.rows).toEqual([]);
    const sampled = entryOf({
      seq: 3,
      at: "",
      type: "statement",
      event: { statement: { text: "SELECT 1 AS n", columns: [{ name: "n" }], sampleRows: [{ values: ["1"] }] } },
    });
    expect(sampled.details.map(([k]) => k)).not.toContain("Columns");
  });

  it("marks a blocked statement, a guardrail denial and a held approval", () => {
    expect(entryOf({ seq: 1, at: "", type: "statement", event: { statement: { text: "DROP TABLE t", blocked: true, sqlstate: "42501" } } }).tone).toBe("bad");
    const g = entryOf({ seq: 2, at: "", type: "guardrail", event: { guardrail: { rule: "no-drop", action: "deny", reason: "no" } } });
    expect(g.title).toBe("Guardrail no-drop: deny");
    expect(g.tone).toBe("bad");
    expect(entryOf({ seq: 3, at: "", type: "approval", event: { approval: { state: "requested", requestId: "r1" } } }).tone).toBe("warn");
  });

  it("sums the masking manifest and names the starting identity", () => {
    const m = entryOf({ seq: 4, at: "", type: "masking", event: { masking: { entries: [{ rule: "aws", count: 2, strategy: "redact" }, { rule: "email", count: 1 }] } } });
    expect(m.title).toBe("3 values masked");
    const s = entryOf({ seq: 1, at: "", type: "start", event: { start: { connectionName: "orders", identity: { subject: "u1", email: "ada@example.com", actor: "claude-code" } } } });
    expect(s.title).toBe("Session started by ada@example.com via claude-code");
  });

  it("explains each integrity verdict", () => {
    expect(integrityText("INTACT").tone).toBe("ok");
    expect(integrityText("TAMPERED").tone).toBe("bad");
    expect(integrityText(undefined).label).toBe("Not verified");
  });
});
