import { useEffect, useState } from "preact/hooks";
import { API, type Page as ApiPage, post, query } from "../api";
import { accessToken } from "../auth";
import { Badge, Dialog, Empty, Loading, Page, Pager, Problem, Select, TextArea, stateTone } from "../components/ui";
import { dateTime, relative } from "../format";
import { useAction, useResource } from "../hooks";
import { BASE, navigate, useLocation } from "../router";
import { follow } from "../sse";
import type { Approval, Connection } from "../types";

export function Approvals() {
  const loc = useLocation();
  const state = loc.search.get("state") ?? "pending";
  const page = Number(loc.search.get("page") ?? 0) || 0;
  const list = useResource<ApiPage<Approval>>(`/approvals${query({ state: state === "all" ? undefined : state, page, size: 25 })}`);
  const connections = useResource<ApiPage<Connection>>("/connections?size=200");
  const [live, setLive] = useState(false);
  const [deciding, setDeciding] = useState<{ approval: Approval; verb: "approve" | "deny" } | null>(null);
  const [announce, setAnnounce] = useState("");

  useEffect(() => {
    const ctl = new AbortController();
    follow(
      `${API}/approvals/events`,
      async (): Promise<Record<string, string>> => {
        const t = await accessToken();
        return t ? { Authorization: `Bearer ${t}` } : {};
      },
      (m) => {
        list.reload();
        try {
          const a = JSON.parse(m.data) as Partial<Approval>;
          if (a.state === "pending") setAnnounce(`New approval request from ${a.email ?? a.subject ?? "someone"}`);
        } catch {
          // a heartbeat or a message without a body: the reload is enough
        }
      },
      setLive,
      ctl.signal,
    );
    return () => ctl.abort();
  }, []);

  const connName = (id: string | null) => connections.data?.items.find((c) => c.id === id)?.name ?? "—";

  return (
    <Page
      title="Approvals"
      intro="Operations that a policy holds until someone approves them. The engineer's client waits while you decide."
      actions={
        <span class={`live ${live ? "on" : "off"}`} role="status">
          {live ? "Live" : "Reconnecting…"}
        </span>
      }
    >
      <div class="sr-only" aria-live="assertive">
        {announce}
      </div>
      <div class="toolbar">
        <Select
          label="Show"
          name="state"
          value={state}
          onValue={(v) => navigate(`/approvals${query({ state: v })}`)}
          options={[
            ["pending", "Waiting for a decision"],
            ["approved", "Approved"],
            ["denied", "Denied"],
            ["expired", "Expired"],
            ["cancelled", "Cancelled"],
            ["all", "All"],
          ]}
        />
      </div>
      {list.loading && !list.data && <Loading label="Loading approvals…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && (
        <Empty title={state === "pending" ? "Nothing is waiting for you" : "No approvals here"}>
          <p>
            {state === "pending"
              ? "New requests appear here as they arrive; this page updates by itself."
              : "Choose another state above."}{" "}
            Which operations need approval is set in <a href={`${BASE}/policies`}>policies</a>.
          </p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <ul class="approval-list">
          {list.data.items.map((a) => (
            <li key={a.id} class="card approval">
              <div class="approval-head">
                <Badge tone={stateTone(a.state)}>{a.state}</Badge>
                <strong>{a.email ?? a.subject ?? "Unknown"}</strong>
                {a.actor && <span class="muted"> via {a.actor}</span>}
                <span class="muted"> on {connName(a.connectionId)}</span>
                <time class="muted" dateTime={a.requestedAt}>
                  {relative(a.requestedAt)}
                </time>
              </div>
              <pre class="statement">{a.operation}</pre>
              <p class="hint">
                {a.rule && (
                  <>
                    Held by rule <code>{a.rule}</code>.{" "}
                  </>
                )}
                {a.approverGroup && <>Approvers: {a.approverGroup}, {a.minApprovals} needed. </>}
                {a.state === "pending" && a.expiresAt && <>Expires {relative(a.expiresAt)}.</>}
                {a.decidedAt && (
                  <>
                    Decided by {a.decidedBy ?? "—"} {dateTime(a.decidedAt)}
                    {a.reason ? `: ${a.reason}` : ""}.
                  </>
                )}
              </p>
              {a.state === "pending" && (
                <div class="form-actions">
                  <button type="button" class="btn primary" onClick={() => setDeciding({ approval: a, verb: "approve" })}>
                    Approve
                  </button>
                  <button type="button" class="btn danger" onClick={() => setDeciding({ approval: a, verb: "deny" })}>
                    Deny
                  </button>
                  {a.sessionId && (
                    <a class="btn secondary" href={`${BASE}/sessions/${a.sessionId}`}>
                      Open session
                    </a>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.data && <Pager page={page} size={25} total={list.data.total} onPage={(p) => navigate(`/approvals${query({ state, page: p || undefined })}`)} />}
      <DecideDialog
        deciding={deciding}
        onClose={() => setDeciding(null)}
        onDecided={() => {
          setDeciding(null);
          list.reload();
        }}
      />
    </Page>
  );
}

function DecideDialog(props: { deciding: { approval: Approval; verb: "approve" | "deny" } | null; onClose: () => void; onDecided: () => void }) {
  const [reason, setReason] = useState("");
  const action = useAction();
  const d = props.deciding;
  const deny = d?.verb === "deny";
  return (
    <Dialog title={deny ? "Deny this operation" : "Approve this operation"} open={d !== null} onClose={props.onClose}>
      {d && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            action.run(async () => {
              await post(`/approvals/${d.approval.id}/${d.verb}`, { reason: reason.trim() || undefined });
              setReason("");
              props.onDecided();
            });
          }}
        >
          <pre class="statement">{d.approval.operation}</pre>
          <TextArea label={deny ? "Reason (shown to the engineer)" : "Reason (optional)"} name="reason" value={reason} onValue={setReason} rows={3} />
          <Problem error={action.error} />
          <div class="form-actions">
            <button type="submit" class={`btn ${deny ? "danger" : "primary"}`} disabled={action.busy || (deny && !reason.trim())}>
              {action.busy ? "Sending…" : deny ? "Deny" : "Approve"}
            </button>
            <button type="button" class="btn secondary" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
