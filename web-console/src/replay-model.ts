// Turns replay events (GET /api/v1/sessions/{id}/events: protobuf JSON of recording.proto's Event)
// into timeline entries the replay page shows.

/** One event of a replay page as the API answers it. */
export interface ReplayEvent {
  seq: number;
  at: string;
  type: string;
  event: Record<string, any>;
}

export interface EventPage {
  sessionId: string;
  integrity: string | null;
  items: ReplayEvent[];
  next: number | null;
}

export type Tone = "ok" | "warn" | "bad" | "info" | "muted";

/** A row of the timeline: what happened, in a line, with its details. */
export interface Entry {
  seq: number;
  at: string;
  kind: string;
  title: string;
  tone: Tone;
  code?: string;
  details: [string, string][];
  columns?: string[];
  rows?: string[][];
}

const ms = (nanos: unknown) => (nanos === undefined ? undefined : `${(Number(nanos) / 1e6).toFixed(1)} ms`);

export function entryOf(e: ReplayEvent): Entry {
  const ev = e.event ?? {};
  const base = { seq: e.seq, at: e.at, kind: e.type };
  const d = (pairs: [string, unknown][]): [string, string][] =>
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [k, String(v)]);
  switch (e.type) {
    case "start": {
      const s = ev.start ?? {};
      const id = s.identity ?? {};
      return {
        ...base,
        title: `Session started by ${id.email || id.subject || "unknown"}${id.actor ? ` via ${id.actor}` : ""}`,
        tone: "info",
        details: d([
          ["Connection", s.connectionName],
          ["Protocol", s.protocol],
          ["Target", s.target],
          ["Client", [s.clientApplication, s.clientAddress].filter(Boolean).join(" from ")],
          ["Groups", (id.groups ?? []).join(", ")],
          ["Work session", id.workSessionId],
          ["Policy version", s.policyVersion],
        ]),
      };
    }
    case "statement": {
      const s = ev.statement ?? {};
      const failed = !!s.sqlstate;
      const columns: string[] = (s.columns ?? []).map((c: any) => c.name);
      const sampled = (s.sampleRows ?? []).length > 0;
      return {
        ...base,
        title: s.blocked ? "Statement blocked" : failed ? "Statement failed" : s.commandTag || "Statement",
        tone: s.blocked ? "bad" : failed ? "warn" : "ok",
        code: s.text,
        details: d([
          ["Rows", s.rowCount ?? 0],
          // without sample rows there is no result table to name the columns: list them here
          ["Columns", sampled ? undefined : columns.join(", ")],
          ["Took", ms(s.durationNanos)],
          ["Parameters", (s.parameters ?? []).join(", ")],
          ["Error", s.sqlstate ? `${s.sqlstate} ${s.errorMessage ?? ""}` : undefined],
        ]),
        columns,
        rows: (s.sampleRows ?? []).map((r: any) => (r.values ?? []).map((v: string, i: number) => (r.nulls?.[i] ? "NULL" : v))),
      };
    }
    case "exchange": {
      const x = ev.exchange ?? {};
      return {
        ...base,
        title: x.toolName ? `Tool ${x.toolName}` : `${x.method ?? ""} ${x.path ?? ""}`.trim() || "Exchange",
        tone: x.blocked ? "bad" : (x.status ?? 0) >= 400 ? "warn" : "ok",
        details: d([
          ["Status", x.status],
          ["Took", ms(x.durationNanos)],
          ["RPC method", x.rpcMethod],
          ["Blocked", x.blocked ? "yes" : undefined],
        ]),
      };
    }
    case "llm": {
      const l = ev.llm ?? {};
      return {
        ...base,
        title: `${l.provider ?? "LLM"} ${l.model ?? ""}`.trim(),
        tone: "info",
        code: l.completionText,
        details: d([
          ["Prompt tokens", l.promptTokens],
          ["Completion tokens", l.completionTokens],
          ["Took", ms(l.durationNanos)],
        ]),
      };
    }
    case "masking": {
      const entries: any[] = ev.masking?.entries ?? [];
      const total = entries.reduce((n, x) => n + (x.count ?? 0), 0);
      return {
        ...base,
        title: `${total} value${total === 1 ? "" : "s"} masked`,
        tone: "warn",
        details: entries.map((x) => [x.rule, `${x.count ?? 0}× ${x.strategy ?? "redact"} in ${x.location ?? "result"}`]),
      };
    }
    case "guardrail": {
      const g = ev.guardrail ?? {};
      return {
        ...base,
        title: `Guardrail ${g.rule ?? ""}: ${g.action ?? "decision"}`,
        tone: g.action === "deny" ? "bad" : g.action === "hold" ? "warn" : "ok",
        code: g.operation,
        details: d([["Reason", g.reason]]),
      };
    }
    case "approval": {
      const a = ev.approval ?? {};
      return {
        ...base,
        title: `Approval ${a.state ?? ""}`.trim(),
        tone: a.state === "approved" ? "ok" : a.state === "requested" ? "warn" : a.state === "denied" ? "bad" : "muted",
        details: d([
          ["Request", a.requestId],
          ["Decided by", a.decidedBy],
          ["Reason", a.reason],
        ]),
      };
    }
    case "notice": {
      const n = ev.notice ?? {};
      return { ...base, title: n.message ?? "Notice", tone: n.severity === "error" ? "bad" : "info", details: d([["Severity", n.severity]]) };
    }
    case "end": {
      const x = ev.end ?? {};
      return {
        ...base,
        title: `Session ended (${x.reason ?? "normal"})`,
        tone: x.reason && x.reason !== "normal" && x.reason !== "client-disconnect" ? "warn" : "muted",
        details: d([
          ["Statements", x.statementCount ?? 0],
          ["Masked", x.maskedCount ?? 0],
          ["Blocked", x.blockedCount ?? 0],
        ]),
      };
    }
    default:
      return { ...base, title: e.type, tone: "muted", details: [] };
  }
}

/** What an integrity verdict means, for the reader. */
export function integrityText(v: string | null | undefined): { label: string; tone: Tone; meaning: string } {
  switch (v) {
    case "INTACT":
      return { label: "Intact", tone: "ok", meaning: "Every segment is present, chained and signed by the recording agent." };
    case "INTACT_RECOVERED":
      return { label: "Intact, recovered", tone: "ok", meaning: "The agent stopped mid-session; everything it recorded up to then is present and signed." };
    case "TAIL_MISSING":
      return { label: "Tail missing", tone: "warn", meaning: "What is present verifies, but the end of the recording has not arrived (yet)." };
    case "TAMPERED":
      return { label: "Tampered", tone: "bad", meaning: "The stored recording does not match what the agent signed. Treat it as evidence of interference." };
    default:
      return { label: "Not verified", tone: "muted", meaning: "Verify to check the recording's hash chain and signatures." };
  }
}
