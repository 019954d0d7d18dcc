import { useState } from "preact/hooks";
import { type Page as ApiPage, query } from "../api";
import { Badge, Empty, Field, Loading, Page, Pager, Problem, Select, stateTone } from "../components/ui";
import { dateTime, duration, isoToLocalInput, localInputToIso } from "../format";
import { useResource } from "../hooks";
import { BASE, navigate, useLocation } from "../router";
import { integrityText } from "../replay-model";
import type { Agent, Connection, SessionView } from "../types";

const FILTERS = ["engineer", "actor", "connectionId", "agentId", "state", "integrity", "from", "to", "q"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** The filters in the address bar, so a search can be bookmarked and shared. */
export function filtersOf(search: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const k of FILTERS) f[k] = search.get(k) ?? "";
  return f;
}

export function Sessions() {
  const loc = useLocation();
  const applied = filtersOf(loc.search);
  const page = Number(loc.search.get("page") ?? 0) || 0;
  const [draft, setDraft] = useState<Filters>(applied);
  const connections = useResource<ApiPage<Connection>>("/connections?size=200");
  const agents = useResource<ApiPage<Agent>>("/agents?size=200");
  const list = useResource<ApiPage<SessionView>>(`/sessions${query({ ...applied, page, size: 25 })}`);
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const connName = (id: string | null) => connections.data?.items.find((c) => c.id === id)?.name ?? "—";
  const go = (f: Filters, p = 0) => navigate(`/sessions${query({ ...f, page: p || undefined })}`);
  const filtered = FILTERS.some((k) => applied[k]);

  return (
    <Page title="Sessions" intro="Every session through Ward: who, through which AI agent, on which connection, and what happened. Search covers the statements as recorded, with secrets masked.">
      <form
        class="filters"
        role="search"
        aria-label="Search sessions"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <Field label="Text in statements" name="q" type="search" value={draft.q} onValue={set("q")} maxLength={256} />
        <Field label="Engineer" name="engineer" value={draft.engineer} onValue={set("engineer")} hint="Subject or email" />
        <Field label="Acting AI agent" name="actor" value={draft.actor} onValue={set("actor")} hint="e.g. claude-code" />
        <Select label="Connection" name="connectionId" value={draft.connectionId} onValue={set("connectionId")} options={[["", "Any"], ...(connections.data?.items ?? []).map((c) => [c.id, c.name] as [string, string])]} />
        <Select label="Agent" name="agentId" value={draft.agentId} onValue={set("agentId")} options={[["", "Any"], ...(agents.data?.items ?? []).map((a) => [a.id, a.name] as [string, string])]} />
        <Select
          label="State"
          name="state"
          value={draft.state}
          onValue={set("state")}
          options={[
            ["", "Any"],
            ["started", "In progress"],
            ["ended", "Ended"],
            ["interrupted", "Interrupted"],
          ]}
        />
        <Select
          label="Integrity"
          name="integrity"
          value={draft.integrity}
          onValue={set("integrity")}
          options={[
            ["", "Any"],
            ["INTACT", "Intact"],
            ["INTACT_RECOVERED", "Intact, recovered"],
            ["TAIL_MISSING", "Tail missing"],
            ["TAMPERED", "Tampered"],
          ]}
        />
        <Field label="From" name="from" type="datetime-local" value={isoToLocalInput(draft.from || null)} onValue={(v) => set("from")(localInputToIso(v) ?? "")} />
        <Field label="To" name="to" type="datetime-local" value={isoToLocalInput(draft.to || null)} onValue={(v) => set("to")(localInputToIso(v) ?? "")} />
        <div class="filter-actions">
          <button type="submit" class="btn primary">
            Search
          </button>
          {filtered && (
            <button
              type="button"
              class="btn secondary"
              onClick={() => {
                const none = filtersOf(new URLSearchParams());
                setDraft(none);
                go(none);
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>

      <div aria-live="polite">
        {list.loading && <Loading label="Searching sessions…" />}
        <Problem error={list.error} onRetry={list.reload} />
        {list.data && !list.loading && <p class="result-count">{list.data.total === 1 ? "1 session" : `${list.data.total.toLocaleString("en")} sessions`}</p>}
      </div>
      {list.data && list.data.items.length === 0 && !list.loading && (
        <Empty title={filtered ? "No session matches" : "No sessions recorded yet"}>
          {filtered ? (
            <p>Widen the time range or clear a filter.</p>
          ) : (
            <p>
              Sessions appear when someone connects through an agent. Set up a <a href={`${BASE}/connections`}>connection</a> and connect with <code>ward connect</code>.
            </p>
          )}
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Engineer</th>
                <th scope="col">AI agent</th>
                <th scope="col">Connection</th>
                <th scope="col">State</th>
                <th scope="col">Statements</th>
                <th scope="col">Masked</th>
                <th scope="col">Blocked</th>
                <th scope="col">Approvals</th>
                <th scope="col">Duration</th>
                <th scope="col">Integrity</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <a href={`${BASE}/sessions/${s.id}`}>{dateTime(s.startedAt)}</a>
                  </th>
                  <td>{s.email ?? s.subject ?? "—"}</td>
                  <td>{s.actor ?? <span class="muted">none</span>}</td>
                  <td>{connName(s.connectionId)}</td>
                  <td>
                    <Badge tone={stateTone(s.state)}>{s.state}</Badge>
                  </td>
                  <td>{s.statementCount}</td>
                  <td>{s.maskedCount > 0 ? <Badge tone="warn">{s.maskedCount}</Badge> : 0}</td>
                  <td>{s.blockedCount > 0 ? <Badge tone="bad">{s.blockedCount}</Badge> : 0}</td>
                  <td>{s.approvalCount ?? 0}</td>
                  <td>{s.endedAt ? duration(s.startedAt, s.endedAt) : "in progress"}</td>
                  <td>
                    <Badge tone={integrityText(s.integrity).tone}>{integrityText(s.integrity).label}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager page={page} size={25} total={list.data.total} onPage={(p) => go(applied, p)} />}
    </Page>
  );
}
