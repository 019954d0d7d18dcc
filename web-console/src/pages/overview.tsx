import type { ApiError, Page as ApiPage } from "../api";
import { query } from "../api";
import { Loading, Page } from "../components/ui";
import { startOfToday } from "../format";
import { useResource } from "../hooks";
import { BASE } from "../router";
import type { Agent, Approval, SessionView } from "../types";

/** One figure of the overview: a number, what it counts, and where to look closer. */
function Stat(props: { label: string; value: string | undefined; note: string; href: string; loading: boolean; error?: ApiError }) {
  return (
    <a class="stat" href={props.href}>
      <span class="stat-label">{props.label}</span>
      {props.loading ? (
        <Loading label="" />
      ) : props.error ? (
        <span class="stat-value muted" title={props.error.detail}>
          —
        </span>
      ) : (
        <span class="stat-value">{props.value}</span>
      )}
      <span class="stat-note">{props.error ? (props.error.status === 403 ? "Your role cannot see this" : props.error.title) : props.note}</span>
    </a>
  );
}

export function Overview() {
  const today = startOfToday();
  const agents = useResource<ApiPage<Agent>>("/agents?size=200");
  const sessions = useResource<ApiPage<SessionView>>(`/sessions${query({ from: today, size: 200 })}`);
  const approvals = useResource<ApiPage<Approval>>("/approvals?state=pending&size=5");
  const online = agents.data?.items.filter((a) => a.status === "online").length;
  const masked = sessions.data?.items.reduce((n, s) => n + s.maskedCount, 0);
  const maskedNote = sessions.data && sessions.data.total > sessions.data.items.length ? "in the latest 200 sessions today" : "values hidden from results today";
  const noAgents = agents.data && agents.data.total === 0;

  return (
    <Page title="Overview" intro="What Ward is doing for your organisation today.">
      <div class="stats">
        <Stat label="Agents online" value={agents.data ? `${online} of ${agents.data.total}` : undefined} note="inside your networks" href={`${BASE}/agents`} loading={agents.loading} error={agents.error} />
        <Stat label="Sessions today" value={sessions.data?.total.toLocaleString("en")} note="since midnight" href={`${BASE}/sessions?from=${encodeURIComponent(today)}`} loading={sessions.loading} error={sessions.error} />
        <Stat label="Pending approvals" value={approvals.data?.total.toLocaleString("en")} note="waiting for a decision" href={`${BASE}/approvals`} loading={approvals.loading} error={approvals.error} />
        <Stat label="Secrets masked" value={masked?.toLocaleString("en")} note={maskedNote} href={`${BASE}/sessions?from=${encodeURIComponent(today)}`} loading={sessions.loading} error={sessions.error} />
      </div>

      {noAgents && (
        <section class="card callout" aria-labelledby="getting-started">
          <h2 id="getting-started">Get started</h2>
          <ol class="steps">
            <li>
              <a href={`${BASE}/agents`}>Register an agent</a> and install it inside your network with the Terraform snippet.
            </li>
            <li>
              <a href={`${BASE}/connections`}>Add a connection</a> to a database, API or Git server the agent can reach.
            </li>
            <li>
              <a href={`${BASE}/policies`}>Review the policy</a> that masks secrets and holds risky statements.
            </li>
            <li>
              <a href={`${BASE}/identity-providers`}>Connect your identity provider</a> so your engineers sign in with their work accounts.
            </li>
          </ol>
        </section>
      )}

      {approvals.data && approvals.data.items.length > 0 && (
        <section class="card" aria-labelledby="waiting">
          <h2 id="waiting">Waiting for approval</h2>
          <ul class="plain-list">
            {approvals.data.items.map((a) => (
              <li key={a.id}>
                <code class="statement">{a.operation}</code> — {a.email ?? a.subject}
                {a.actor ? ` via ${a.actor}` : ""}
              </li>
            ))}
          </ul>
          <a class="btn secondary small" href={`${BASE}/approvals`}>
            Open the inbox
          </a>
        </section>
      )}
    </Page>
  );
}
