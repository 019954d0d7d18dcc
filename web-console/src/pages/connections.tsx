import { useState } from "preact/hooks";
import { type Page as ApiPage, call } from "../api";
import { Badge, Checkbox, Dialog, Empty, Field, Loading, Page, Problem, Select, fieldErrors } from "../components/ui";
import { useAction, useResource } from "../hooks";
import type { Connection, Policy } from "../types";

const KINDS: [string, string][] = [
  ["postgres", "PostgreSQL"],
  ["http", "HTTP API"],
  ["git", "Git (smart HTTP)"],
  ["mcp", "MCP server"],
  ["llm", "LLM API"],
];

interface Draft {
  name: string;
  kind: string;
  listenHost: string;
  listenPort: string;
  target: string;
  database: string;
  username: string;
  secretRef: string;
  upstreamTls: string;
  policyId: string;
  recordingMode: string;
  offlineMode: string;
  allowPlaintextGrant: boolean;
  credentialStyle: string;
  agents: string;
  options: string;
}

const EMPTY: Draft = {
  name: "",
  kind: "postgres",
  listenHost: "127.0.0.1",
  listenPort: "",
  target: "",
  database: "",
  username: "",
  secretRef: "",
  upstreamTls: "verify-full",
  policyId: "",
  recordingMode: "best-effort",
  offlineMode: "fail-closed",
  allowPlaintextGrant: false,
  credentialStyle: "",
  agents: "",
  options: "",
};

function draftOf(c: Connection): Draft {
  return {
    name: c.name,
    kind: c.kind,
    listenHost: c.listenHost,
    listenPort: `${c.listenPort}`,
    target: c.target,
    database: c.database ?? "",
    username: c.username ?? "",
    secretRef: c.secretRef ?? "",
    upstreamTls: c.upstreamTls,
    policyId: c.policyId ?? "",
    recordingMode: c.recordingMode,
    offlineMode: c.offlineMode ?? "fail-closed",
    allowPlaintextGrant: c.allowPlaintextGrant,
    credentialStyle: c.credentialStyle ?? "",
    agents: c.agents.join(", "),
    options: Object.entries(c.options ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
  };
}

/** The request body for a draft: empty optional fields left out so the API's defaults apply. */
export function connectionBody(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    kind: d.kind,
    listenHost: d.listenHost.trim() || undefined,
    listenPort: d.listenPort.trim() === "" ? null : Number(d.listenPort),
    target: d.target.trim(),
    upstreamTls: d.upstreamTls,
    recordingMode: d.recordingMode,
    offlineMode: d.offlineMode,
    allowPlaintextGrant: d.allowPlaintextGrant,
  };
  if (d.kind === "postgres" && d.database.trim()) body.database = d.database.trim();
  if (d.username.trim()) body.username = d.username.trim();
  if (d.secretRef.trim()) body.secretRef = d.secretRef.trim();
  if (d.policyId) body.policyId = d.policyId;
  if (d.kind !== "postgres" && d.credentialStyle.trim()) body.credentialStyle = d.credentialStyle.trim();
  const agents = d.agents
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  body.agents = agents;
  const options: Record<string, string> = {};
  for (const line of d.options.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) options[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  body.options = options;
  return body;
}

export function Connections() {
  const list = useResource<ApiPage<Connection>>("/connections?size=200");
  const policies = useResource<ApiPage<Policy>>("/policies?size=200");
  const [editing, setEditing] = useState<Connection | "new" | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const policyName = (id: string | null) => policies.data?.items.find((p) => p.id === id)?.name ?? (id ? "…" : "default");

  return (
    <Page
      title="Connections"
      intro="The databases, APIs, Git servers, MCP tools and LLM APIs your engineers and AI agents reach through Ward."
      actions={
        <button type="button" class="btn primary" onClick={() => setEditing("new")}>
          New connection
        </button>
      }
    >
      {list.loading && !list.data && <Loading label="Loading connections…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && (
        <Empty title="No connections yet">
          <p>Add a connection for each system agents should reach. The agent injects its credentials, so nobody holds them.</p>
          <button type="button" class="btn primary" onClick={() => setEditing("new")}>
            New connection
          </button>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Connections</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Agent listens on</th>
                <th scope="col">Target</th>
                <th scope="col">Policy</th>
                <th scope="col">Recording</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <Badge tone="info">{c.kind}</Badge>
                  </td>
                  <td>
                    <code>
                      {c.listenHost}:{c.listenPort}
                    </code>
                  </td>
                  <td>
                    <code>{c.target}</code>
                    {c.database && <span class="muted"> / {c.database}</span>}
                  </td>
                  <td>{policyName(c.policyId)}</td>
                  <td>{c.recordingMode}</td>
                  <td class="row-actions">
                    <button type="button" class="btn small secondary" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                      Edit
                    </button>
                    <button type="button" class="btn small danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConnectionDialog
        editing={editing}
        policies={policies.data?.items ?? []}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
      <DeleteDialog
        connection={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null);
          list.reload();
        }}
      />
    </Page>
  );
}

function ConnectionDialog(props: { editing: Connection | "new" | null; policies: Policy[]; onClose: () => void; onSaved: () => void }) {
  const existing = props.editing && props.editing !== "new" ? props.editing : null;
  return (
    <Dialog title={existing ? `Edit ${existing.name}` : "New connection"} open={props.editing !== null} onClose={props.onClose} wide>
      <ConnectionForm key={existing?.id ?? "new"} existing={existing} policies={props.policies} onCancel={props.onClose} onSaved={props.onSaved} />
    </Dialog>
  );
}

function ConnectionForm(props: { existing: Connection | null; policies: Policy[]; onCancel: () => void; onSaved: () => void }) {
  const [d, setD] = useState<Draft>(props.existing ? draftOf(props.existing) : EMPTY);
  const action = useAction();
  const errs = fieldErrors(action.error);
  const set = (k: keyof Draft) => (v: string | boolean) => setD((old) => ({ ...old, [k]: v }));
  const pg = d.kind === "postgres";
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      const body = connectionBody(d);
      if (props.existing) {
        await call(`/connections/${props.existing.id}`, { method: "PUT", body, ifMatch: props.existing.version });
      } else {
        await call("/connections", { method: "POST", body });
      }
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} class="grid-form" noValidate>
      <Field label="Name" name="name" value={d.name} onValue={set("name")} error={errs.name} hint="A DNS label, e.g. orders-db." required autoFocus />
      <Select label="Kind" name="kind" value={d.kind} onValue={set("kind")} options={KINDS} error={errs.kind} />
      <Field label="Listen host" name="listenHost" value={d.listenHost} onValue={set("listenHost")} error={errs.listenHost} hint="Where the agent listens for clients." />
      <Field label="Listen port" name="listenPort" type="number" min={1} max={65535} value={d.listenPort} onValue={set("listenPort")} error={errs.listenPort} required />
      <Field label="Target" name="target" value={d.target} onValue={set("target")} error={errs.target} hint={pg ? "host:port of the database, as the agent reaches it." : "The upstream URL, e.g. https://api.internal."} required />
      {pg && <Field label="Database" name="database" value={d.database} onValue={set("database")} error={errs.database} />}
      <Field label="Upstream user" name="username" value={d.username} onValue={set("username")} error={errs.username} />
      <Field
        label="Secret reference"
        name="secretRef"
        value={d.secretRef}
        onValue={set("secretRef")}
        error={errs.secretRef}
        hint="env:NAME or file:/path — the agent reads the secret inside your network. Never paste the secret itself."
      />
      <Select
        label="Upstream TLS"
        name="upstreamTls"
        value={d.upstreamTls}
        onValue={set("upstreamTls")}
        error={errs.upstreamTls}
        options={[
          ["verify-full", "Verify certificate and host name"],
          ["require", "Encrypt, do not verify"],
          ["disable", "No TLS"],
        ]}
      />
      <Select label="Policy" name="policyId" value={d.policyId} onValue={set("policyId")} error={errs.policyId} options={[["", "Ward's default policy"], ...props.policies.map((p) => [p.id, p.name] as [string, string])]} />
      <Select
        label="Recording"
        name="recordingMode"
        value={d.recordingMode}
        onValue={set("recordingMode")}
        error={errs.recordingMode}
        options={[
          ["best-effort", "Best effort"],
          ["strict", "Strict: no session unless it can be recorded"],
        ]}
      />
      <Select
        label="When the agent is cut off from Ward"
        name="offlineMode"
        value={d.offlineMode}
        onValue={set("offlineMode")}
        error={errs.offlineMode}
        options={[
          ["fail-closed", "Refuse new sessions"],
          ["fail-open", "Accept new sessions under the last policy"],
        ]}
      />
      {!pg && <Field label="Credential style" name="credentialStyle" value={d.credentialStyle} onValue={set("credentialStyle")} error={errs.credentialStyle} hint="bearer, basic or header:<Name>." />}
      <Field label="Agents" name="agents" value={d.agents} onValue={set("agents")} error={errs.agents} hint="Agent names, comma separated. Empty: every agent serves it." />
      <div class="span-2">
        <label class="field-label" for="conn-options">
          Options
        </label>
        <textarea id="conn-options" class="mono" rows={3} value={d.options} onInput={(e) => set("options")((e.currentTarget as HTMLTextAreaElement).value)} aria-describedby="conn-options-hint" />
        <small id="conn-options-hint" class="hint">
          One key=value per line, e.g. upstream_ca_file=/etc/ssl/db.pem
        </small>
      </div>
      <div class="span-2">
        <Checkbox label="Accept grants over plaintext (local development only)" checked={d.allowPlaintextGrant} onChecked={set("allowPlaintextGrant")} />
      </div>
      <div class="span-2">
        <Problem error={action.error} />
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={action.busy}>
            {action.busy ? "Saving…" : props.existing ? "Save changes" : "Create connection"}
          </button>
          <button type="button" class="btn secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}

function DeleteDialog(props: { connection: Connection | null; onClose: () => void; onDeleted: () => void }) {
  const action = useAction();
  const c = props.connection;
  return (
    <Dialog title={c ? `Delete ${c.name}?` : "Delete"} open={c !== null} onClose={props.onClose}>
      <p>Agents stop listening for it within seconds. Recorded sessions stay searchable.</p>
      <Problem error={action.error} />
      <div class="form-actions">
        <button
          type="button"
          class="btn danger"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await call(`/connections/${c!.id}`, { method: "DELETE", ifMatch: c!.version });
              props.onDeleted();
            })
          }
        >
          Delete connection
        </button>
        <button type="button" class="btn secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
