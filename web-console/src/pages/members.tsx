import type { Page as ApiPage } from "../api";
import { Badge, Empty, Loading, Page, Problem } from "../components/ui";
import { relative } from "../format";
import { useResource } from "../hooks";
import { BASE } from "../router";

interface Member {
  id: string;
  subject: string;
  email: string | null;
  displayName: string | null;
  idpAlias: string | null;
  groups: string[];
  lastSeenAt: string | null;
}

/** Ward's groups and what each lets its members do (docs/api.md, Roles). */
export const WARD_GROUPS: [string, string][] = [
  ["ward-admins", "Change configuration: connections, policies, identity providers, agents, API tokens. Read everything."],
  ["ward-approvers", "Approve or deny held operations."],
  ["ward-auditors", "Read sessions, replays, approvals and the audit log."],
  ["ward-members", "Use connections through Ward, within what policies allow."],
];

export function Members() {
  const list = useResource<ApiPage<Member>>("/members?size=200");
  return (
    <Page title="Members and groups" intro="People who signed in to your organisation, and the Ward groups that give them their roles. Groups come from your identity provider.">
      <section class="card" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        <dl class="groups">
          {WARD_GROUPS.map(([g, what]) => (
            <div key={g}>
              <dt>
                <Badge tone="info">{g}</Badge>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p class="hint">
          Map your provider's groups to these under <a href={`${BASE}/identity-providers`}>Identity providers</a>.
        </p>
      </section>
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {list.loading && !list.data && <Loading label="Loading members…" />}
        <Problem error={list.error} onRetry={list.reload} />
        {list.data && list.data.items.length === 0 && (
          <Empty title="Nobody has signed in yet">
            <p>Members appear here after their first sign-in. Share your organisation's name so colleagues can sign in at {location.origin}/console/login.</p>
          </Empty>
        )}
        {list.data && list.data.items.length > 0 && (
          <div class="table-wrap">
            <table>
              <caption class="sr-only">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Groups</th>
                  <th scope="col">Signs in through</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.displayName ?? m.email ?? m.subject}
                      {m.email && m.displayName && <div class="muted">{m.email}</div>}
                    </th>
                    <td>
                      {m.groups.length ? (
                        m.groups.map((g) => (
                          <Badge key={g} tone="info">
                            {g}
                          </Badge>
                        ))
                      ) : (
                        <span class="muted">none</span>
                      )}
                    </td>
                    <td>{m.idpAlias ?? "Ward account"}</td>
                    <td>{relative(m.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}
