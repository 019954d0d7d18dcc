import { useState } from "preact/hooks";
import { type Page as ApiPage, post } from "../api";
import { Badge, CopyBlock, Dialog, Empty, Field, Loading, Page, Problem, fieldErrors, stateTone } from "../components/ui";
import { relative } from "../format";
import { useAction, useResource } from "../hooks";
import type { Agent, ConfigStatus } from "../types";

interface AgentInstall {
  agentId: string;
  agentName: string;
  token: string;
  version: string;
  installScriptUrl: string;
  snippets: { shell: string; terraformToken: string; terraformLinux: string; terraformKubernetes: string };
}

export function Agents() {
  const list = useResource<ApiPage<Agent>>("/agents?size=200");
  const config = useResource<ConfigStatus>("/config");
  const [registering, setRegistering] = useState(false);
  const [install, setInstall] = useState<AgentInstall | null>(null);
  const [installTarget, setInstallTarget] = useState<Agent | null>(null);
  const [revoking, setRevoking] = useState<Agent | null>(null);

  return (
    <Page
      title="Agents"
      intro="Ward agents run inside your network and enforce policy on every connection. They dial out to Ward; nothing dials in."
      actions={
        <button type="button" class="btn primary" onClick={() => setRegistering(true)}>
          Register an agent
        </button>
      }
    >
      {list.loading && !list.data && <Loading label="Loading agents…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && (
        <Empty title="No agents yet">
          <p>Register an agent, then install it on a VM or in Kubernetes next to the systems your engineers and AI agents reach.</p>
          <button type="button" class="btn primary" onClick={() => setRegistering(true)}>
            Register an agent
          </button>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Agents of your organisation</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Config version</th>
                <th scope="col">Version</th>
                <th scope="col">Host</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => {
                const current = config.data?.agents.find((c) => c.id === a.id)?.current;
                return (
                  <tr key={a.id}>
                    <th scope="row">{a.name}</th>
                    <td>
                      <Badge tone={stateTone(a.status)}>{a.status}</Badge>
                    </td>
                    <td>
                      {a.configVersionAcked || "—"}
                      {config.data && a.status !== "revoked" && (
                        <span class="muted">{current ? " · current" : ` · behind (tenant is at ${config.data.version})`}</span>
                      )}
                    </td>
                    <td>{a.version ?? "—"}</td>
                    <td>{a.hostname ?? "—"}</td>
                    <td>{relative(a.lastHeartbeatAt)}</td>
                    <td class="row-actions">
                      {a.status !== "revoked" && (
                        <>
                          <button type="button" class="btn small secondary" onClick={() => setInstallTarget(a)} aria-label={`Install instructions for ${a.name}`}>
                            Install
                          </button>
                          <button type="button" class="btn small danger" onClick={() => setRevoking(a)} aria-label={`Revoke ${a.name}`}>
                            Revoke
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <RegisterDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={(agent) => {
          setRegistering(false);
          list.reload();
          setInstallTarget(agent);
        }}
      />
      <InstallDialog
        agent={installTarget}
        install={install}
        onInstall={setInstall}
        onClose={() => {
          setInstallTarget(null);
          setInstall(null);
        }}
      />
      <RevokeDialog
        agent={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={() => {
          setRevoking(null);
          list.reload();
        }}
      />
    </Page>
  );
}

function RegisterDialog(props: { open: boolean; onClose: () => void; onRegistered: (a: Agent) => void }) {
  const [name, setName] = useState("");
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      const r = await post<{ agent: Agent; token: string }>("/agents", { name });
      setName("");
      props.onRegistered(r.agent);
    });
  };
  return (
    <Dialog title="Register an agent" open={props.open} onClose={props.onClose}>
      <form onSubmit={submit}>
        <Field label="Name" name="agent-name" value={name} onValue={setName} error={fieldErrors(action.error).name} hint="Lower-case letters, digits and dashes, e.g. eu-west-edge-1." required autoFocus />
        <Problem error={action.error} />
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={action.busy}>
            {action.busy ? "Registering…" : "Register"}
          </button>
          <button type="button" class="btn secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function InstallDialog(props: { agent: Agent | null; install: AgentInstall | null; onInstall: (i: AgentInstall) => void; onClose: () => void }) {
  const action = useAction();
  const a = props.agent;
  const i = props.install;
  return (
    <Dialog title={a ? `Install ${a.name}` : "Install"} open={a !== null} onClose={props.onClose} wide>
      {!i && (
        <div>
          <p>
            Ward issues a fresh token for this agent and shows it once, with ready-made Terraform and a one-line install. The agent's previous token stops working at once: an
            agent running with it disconnects.
          </p>
          <Problem error={action.error} />
          <div class="form-actions">
            <button
              type="button"
              class="btn primary"
              disabled={action.busy}
              onClick={() => action.run(async () => props.onInstall(await post<AgentInstall>(`/agents/${a!.id}/install`)))}
            >
              {action.busy ? "Preparing…" : "Issue token and show instructions"}
            </button>
            <button type="button" class="btn secondary" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {i && (
        <div class="install">
          <p class="notice" role="status">
            Copy the token now: Ward stores only its digest and cannot show it again. Agent version {i.version}.
          </p>
          <CopyBlock label="Agent token" text={i.token} />
          <h3>Terraform, Linux VM</h3>
          <CopyBlock label="Set the token for Terraform" text={i.snippets.terraformToken} />
          <CopyBlock label="Module block (agent-linux)" text={i.snippets.terraformLinux} />
          <h3>Terraform, Kubernetes</h3>
          <CopyBlock label="Module block (agent-kubernetes)" text={i.snippets.terraformKubernetes} />
          <h3>One line on a Linux host</h3>
          <CopyBlock label="Shell" text={i.snippets.shell} />
        </div>
      )}
    </Dialog>
  );
}

function RevokeDialog(props: { agent: Agent | null; onClose: () => void; onRevoked: () => void }) {
  const action = useAction();
  return (
    <Dialog title={props.agent ? `Revoke ${props.agent.name}?` : "Revoke"} open={props.agent !== null} onClose={props.onClose}>
      <p>The agent is disconnected at once and can never connect again. Connections it served stop working unless another agent serves them.</p>
      <Problem error={action.error} />
      <div class="form-actions">
        <button
          type="button"
          class="btn danger"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await post(`/agents/${props.agent!.id}/revoke`);
              props.onRevoked();
            })
          }
        >
          Revoke agent
        </button>
        <button type="button" class="btn secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
