import { useState } from "preact/hooks";
import { type Page as ApiPage, query } from "../api";
import { Empty, Field, Loading, Page, Pager, Problem } from "../components/ui";
import { dateTime, isoToLocalInput, localInputToIso } from "../format";
import { useResource } from "../hooks";
import { navigate, useLocation } from "../router";
import type { AuditEvent } from "../types";

const FILTERS = ["actor", "action", "targetType", "from", "to"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** The fields that differ between an object before and after a change. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])).sort();
}

export function Audit() {
  const loc = useLocation();
  const applied = {} as Filters;
  for (const k of FILTERS) applied[k] = loc.search.get(k) ?? "";
  const page = Number(loc.search.get("page") ?? 0) || 0;
  const [draft, setDraft] = useState<Filters>(applied);
  const list = useResource<ApiPage<AuditEvent>>(`/audit${query({ ...applied, page, size: 50 })}`);
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const go = (f: Filters, p = 0) => navigate(`/audit${query({ ...f, page: p || undefined })}`);

  return (
    <Page title="Audit log" intro="Every change to your organisation's configuration: who, what, when, and the object before and after. Secrets never appear here.">
      <form
        class="filters"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <Field label="Actor" name="actor" value={draft.actor} onValue={set("actor")} />
        <Field label="Action" name="action" value={draft.action} onValue={set("action")} hint="e.g. connection.update" />
        <Field label="Object type" name="targetType" value={draft.targetType} onValue={set("targetType")} hint="e.g. policy" />
        <Field label="From" name="from" type="datetime-local" value={isoToLocalInput(draft.from || null)} onValue={(v) => set("from")(localInputToIso(v) ?? "")} />
        <Field label="To" name="to" type="datetime-local" value={isoToLocalInput(draft.to || null)} onValue={(v) => set("to")(localInputToIso(v) ?? "")} />
        <div class="filter-actions">
          <button type="submit" class="btn primary">
            Filter
          </button>
        </div>
      </form>
      {list.loading && <Loading label="Loading the audit log…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && !list.loading && (
        <Empty title="No audit events match">
          <p>Changes to connections, policies, identity providers, agents and API tokens are recorded here as they happen.</p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Object</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((e) => {
                const changed = changedFields(e.before, e.after);
                return (
                  <tr key={e.id}>
                    <td>{dateTime(e.occurredAt)}</td>
                    <td>{e.actor}</td>
                    <th scope="row">
                      <code>{e.action}</code>
                    </th>
                    <td>
                      {e.targetType} <code class="muted">{e.targetId}</code>
                    </td>
                    <td>
                      {changed.length === 0 ? (
                        <span class="muted">—</span>
                      ) : (
                        <details>
                          <summary>{changed.length > 4 ? `${changed.length} fields` : changed.join(", ")}</summary>
                          <dl class="diff">
                            {changed.map((k) => (
                              <div key={k}>
                                <dt>{k}</dt>
                                <dd>
                                  <del>{e.before && k in e.before ? JSON.stringify(e.before[k]) : "∅"}</del> → <ins>{e.after && k in e.after ? JSON.stringify(e.after[k]) : "∅"}</ins>
                                </dd>
                              </div>
                            ))}
                          </dl>
                        </details>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager page={page} size={50} total={list.data.total} onPage={(p) => go(applied, p)} />}
    </Page>
  );
}
