import { useEffect, useState } from "preact/hooks";
import { API, post, problemOf, query } from "../api";
import { accessToken } from "../auth";
import { Badge, Loading, Page, Problem, stateTone } from "../components/ui";
import { dateTime, duration } from "../format";
import { useAction, useResource } from "../hooks";
import { BASE } from "../router";
import { type EventPage, entryOf, integrityText, type ReplayEvent } from "../replay-model";
import type { Connection, SessionView } from "../types";

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

interface Verification {
  integrity: string;
  kind: string | null;
  segment: number | null;
  segments: number;
  events: number;
  detail: string | null;
  verifiedAt: string;
}

export function SessionReplay(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const summary = useResource<SessionView>(`/sessions/${id}`);
  const conn = useResource<Connection>(summary.data?.connectionId ? `/connections/${summary.data.connectionId}` : null);
  const [events, setEvents] = useState<ReplayEvent[]>([]);
  const [after, setAfter] = useState(0);
  const [next, setNext] = useState<number | null>(null);
  const page = useResource<EventPage>(`/sessions/${id}/events${query({ after, limit: 200 })}`);
  const verify = useAction();
  const download = useAction();
  const [verdict, setVerdict] = useState<Verification | null>(null);

  useEffect(() => {
    if (page.data) {
      setEvents((old) => (after === 0 ? page.data!.items : [...old, ...page.data!.items]));
      setNext(page.data.next);
    }
  }, [page.data]);

  const s = summary.data;
  const integrity = integrityText(verdict?.integrity ?? s?.integrity ?? page.data?.integrity);

  const save = () =>
    download.run(async () => {
      const token = await accessToken();
      const res = await fetch(`${API}/sessions/${id}/download`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw await problemOf(res);
      const blob = await res.blob();
      const name = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `ward-session-${id}.zip`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

  return (
    <Page
      title="Session replay"
      intro={s ? `${s.email ?? s.subject ?? "Unknown"}${s.actor ? ` via ${s.actor}` : ""} on ${conn.data?.name ?? "a connection"}, ${dateTime(s.startedAt)}` : undefined}
      actions={
        <>
          <button type="button" class="btn secondary" onClick={save} disabled={download.busy}>
            {download.busy ? "Preparing…" : "Download recording"}
          </button>
          <a class="btn secondary" href={`${BASE}/sessions`}>
            All sessions
          </a>
        </>
      }
    >
      {summary.loading && !s && <Loading label="Loading session…" />}
      <Problem error={summary.error} onRetry={summary.reload} />
      <Problem error={download.error} />
      {s && (
        <div class="split">
          <dl class="card facts">
            <dt>State</dt>
            <dd>
              <Badge tone={stateTone(s.state)}>{s.state}</Badge>
            </dd>
            <dt>Engineer</dt>
            <dd>{s.email ?? s.subject ?? "—"}</dd>
            <dt>Acting AI agent</dt>
            <dd>{s.actor ?? "none"}</dd>
            <dt>Duration</dt>
            <dd>{s.endedAt ? duration(s.startedAt, s.endedAt) : "in progress"}</dd>
            <dt>Statements</dt>
            <dd>
              {s.statementCount} · {s.maskedCount} masked · {s.blockedCount} blocked
            </dd>
            <dt>Work session</dt>
            <dd>
              <code>{s.workSessionId ?? "—"}</code>
            </dd>
          </dl>
          <section class="card integrity" aria-labelledby="integrity-title">
            <h2 id="integrity-title">Integrity</h2>
            <p>
              <Badge tone={integrity.tone}>{integrity.label}</Badge>
              {(verdict?.kind ?? s.integrityKind) && <> · <code>{verdict?.kind ?? s.integrityKind}</code></>}
            </p>
            <p class="hint">{integrity.meaning}</p>
            {!verdict && s.verifiedAt && (
              <p class="hint">
                Last checked {dateTime(s.verifiedAt)}.{s.integrityDetail ? ` ${s.integrityDetail}` : ""}
              </p>
            )}
            {s.legalHold && <p class="notice">This session is under legal hold: retention does not delete it.</p>}
            {verdict && (
              <p class="hint">
                Checked {dateTime(verdict.verifiedAt)}: {verdict.detail ?? `${count(verdict.segments, "segment")}, ${count(verdict.events, "event")}.`}
              </p>
            )}
            <Problem error={verify.error} />
            <button type="button" class="btn primary" disabled={verify.busy} onClick={() => verify.run(async () => setVerdict(await post<Verification>(`/sessions/${id}/verify`)))}>
              {verify.busy ? "Verifying…" : "Verify now"}
            </button>
            <div role="status" aria-live="polite" class="sr-only">
              {verdict ? `Verification: ${integrity.label}` : ""}
            </div>
          </section>
        </div>
      )}

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Problem error={page.error} onRetry={page.reload} />
        {page.loading && events.length === 0 && <Loading label="Reading the recording…" />}
        {!page.loading && !page.error && events.length === 0 && <p class="muted">The recording holds no events yet. An agent uploads a session's segments as it records; try again shortly.</p>}
        <ol class="timeline">
          {events.map((e) => {
            const x = entryOf(e);
            return (
              <li key={x.seq} class={`tl tl-${x.tone}`}>
                <div class="tl-head">
                  <Badge tone={x.tone}>{x.kind}</Badge>
                  <span class="tl-title">{x.title}</span>
                  <time dateTime={x.at} class="muted">
                    {dateTime(x.at)}
                  </time>
                </div>
                {x.code && <pre class="statement">{x.code}</pre>}
                {x.rows && x.rows.length > 0 && (
                  <div class="table-wrap">
                    <table class="result">
                      <caption class="sr-only">Result rows as the client received them (masked)</caption>
                      {x.columns && x.columns.length > 0 && (
                        <thead>
                          <tr>
                            {x.columns.map((c) => (
                              <th scope="col" key={c}>
                                {c}
                              </th>
                            ))}
                          </tr>
                        </thead>
                      )}
                      <tbody>
                        {x.rows.map((r, i) => (
                          <tr key={i}>
                            {r.map((v, j) => (
                              <td key={j} class={v.includes("REDACTED") || v.startsWith("****") || v.startsWith("tok_") ? "masked" : undefined}>
                                {v}
                              </td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {x.details.length > 0 && (
                  <dl class="tl-details">
                    {x.details.map(([k, v]) => (
                      <div key={k}>
                        <dt>{k}</dt>
                        <dd>{v}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </li>
            );
          })}
        </ol>
        {next !== null && (
          <button type="button" class="btn secondary" disabled={page.loading} onClick={() => setAfter(next)}>
            {page.loading ? "Loading…" : "Load more events"}
          </button>
        )}
      </section>
    </Page>
  );
}
