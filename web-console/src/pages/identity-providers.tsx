import { useState } from "preact/hooks";
import { type Page as ApiPage, call } from "../api";
import { Badge, Checkbox, Dialog, Empty, Field, Loading, Page, Problem, Select, TextArea, fieldErrors } from "../components/ui";
import { useAction, useResource } from "../hooks";
import type { IdentityProvider } from "../types";

/** "IdP group = Ward group" lines to the API's groupMapping, and back. */
export function parseMapping(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export const mappingText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");

export function IdentityProviders() {
  const list = useResource<ApiPage<IdentityProvider>>("/identity-providers?size=200");
  const [editing, setEditing] = useState<IdentityProvider | "new" | null>(null);
  const [deleting, setDeleting] = useState<IdentityProvider | null>(null);
  return (
    <Page
      title="Identity providers"
      intro="Your engineers sign in to Ward with their work accounts (Okta, Entra ID, Google, any OIDC or SAML provider). Their groups map to Ward's roles."
      actions={
        <button type="button" class="btn primary" onClick={() => setEditing("new")}>
          Add identity provider
        </button>
      }
    >
      {list.loading && !list.data && <Loading label="Loading identity providers…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && (
        <Empty title="No identity provider connected">
          <p>Until you add one, people sign in with accounts of your Ward organisation only. Add your company's provider so engineers use their work accounts.</p>
          <button type="button" class="btn primary" onClick={() => setEditing("new")}>
            Add identity provider
          </button>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Identity providers</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Kind</th>
                <th scope="col">Issuer or metadata</th>
                <th scope="col">Group mapping</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    {p.displayName || p.alias}
                    {p.displayName && <div class="muted">{p.alias}</div>}
                  </th>
                  <td>
                    <Badge tone="info">{p.kind.toUpperCase()}</Badge>
                  </td>
                  <td>
                    <code>{p.issuerUrl ?? p.metadataUrl}</code>
                  </td>
                  <td>{Object.keys(p.groupMapping).length ? mappingText(p.groupMapping).replace(/\n/g, "; ") : <span class="muted">none</span>}</td>
                  <td>
                    <Badge tone={p.enabled ? "ok" : "muted"}>{p.enabled ? "enabled" : "disabled"}</Badge>
                  </td>
                  <td class="row-actions">
                    <button type="button" class="btn small secondary" onClick={() => setEditing(p)} aria-label={`Edit ${p.alias}`}>
                      Edit
                    </button>
                    <button type="button" class="btn small danger" onClick={() => setDeleting(p)} aria-label={`Delete ${p.alias}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog title={editing && editing !== "new" ? `Edit ${editing.alias}` : "Add identity provider"} open={editing !== null} onClose={() => setEditing(null)} wide>
        <ProviderForm
          key={editing && editing !== "new" ? editing.id : "new"}
          existing={editing && editing !== "new" ? editing : null}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      </Dialog>
      <DeleteProvider
        provider={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null);
          list.reload();
        }}
      />
    </Page>
  );
}

function ProviderForm(props: { existing: IdentityProvider | null; onCancel: () => void; onSaved: () => void }) {
  const e0 = props.existing;
  const [alias, setAlias] = useState(e0?.alias ?? "");
  const [kind, setKind] = useState<string>(e0?.kind ?? "oidc");
  const [displayName, setDisplayName] = useState(e0?.displayName ?? "");
  const [issuerUrl, setIssuerUrl] = useState(e0?.issuerUrl ?? "");
  const [metadataUrl, setMetadataUrl] = useState(e0?.metadataUrl ?? "");
  const [clientId, setClientId] = useState(e0?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [mapping, setMapping] = useState(mappingText(e0?.groupMapping ?? {}));
  const [enabled, setEnabled] = useState(e0?.enabled ?? true);
  const action = useAction();
  const errs = fieldErrors(action.error);
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      const body: Record<string, unknown> = {
        alias,
        kind,
        displayName: displayName || undefined,
        groupMapping: parseMapping(mapping),
        enabled,
      };
      if (kind === "oidc") {
        body.issuerUrl = issuerUrl;
        body.clientId = clientId;
        // Left out on edit keeps the stored secret; the API never shows it.
        if (clientSecret) body.clientSecret = clientSecret;
      } else {
        body.metadataUrl = metadataUrl;
        if (clientId) body.clientId = clientId;
      }
      if (e0) await call(`/identity-providers/${e0.id}`, { method: "PUT", body, ifMatch: e0.version });
      else await call("/identity-providers", { method: "POST", body });
      props.onSaved();
    });
  };
  return (
    <form class="grid-form" onSubmit={submit} noValidate>
      <Field label="Alias" name="alias" value={alias} onValue={setAlias} error={errs.alias} hint="A short name, e.g. okta." required autoFocus />
      <Select
        label="Protocol"
        name="kind"
        value={kind}
        onValue={setKind}
        error={errs.kind}
        options={[
          ["oidc", "OpenID Connect"],
          ["saml", "SAML 2.0"],
        ]}
      />
      <Field label="Display name" name="displayName" value={displayName} onValue={setDisplayName} error={errs.displayName} hint="Shown on the sign-in button." />
      {kind === "oidc" ? (
        <>
          <Field label="Issuer URL" name="issuerUrl" type="url" value={issuerUrl} onValue={setIssuerUrl} error={errs.issuerUrl} required />
          <Field label="Client ID" name="clientId" value={clientId} onValue={setClientId} error={errs.clientId} required />
          <Field
            label="Client secret"
            name="clientSecret"
            type="password"
            autoComplete="off"
            value={clientSecret}
            onValue={setClientSecret}
            error={errs.clientSecret}
            hint={e0?.clientSecretSet ? "A secret is stored. Leave empty to keep it." : "Stored encrypted; never shown again."}
          />
        </>
      ) : (
        <Field label="Metadata URL" name="metadataUrl" type="url" value={metadataUrl} onValue={setMetadataUrl} error={errs.metadataUrl} required />
      )}
      <div class="span-2">
        <TextArea label="Group mapping" name="groupMapping" value={mapping} onValue={setMapping} rows={4} mono error={errs.groupMapping} hint="One per line: IdP group = Ward group (ward-admins, ward-approvers, ward-auditors, ward-members or your own)." />
        <Checkbox label="Enabled" checked={enabled} onChecked={setEnabled} />
      </div>
      <div class="span-2">
        <Problem error={action.error} />
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={action.busy}>
            {action.busy ? "Saving…" : e0 ? "Save changes" : "Add provider"}
          </button>
          <button type="button" class="btn secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}

function DeleteProvider(props: { provider: IdentityProvider | null; onClose: () => void; onDeleted: () => void }) {
  const action = useAction();
  const p = props.provider;
  return (
    <Dialog title={p ? `Delete ${p.alias}?` : "Delete"} open={p !== null} onClose={props.onClose}>
      <p>People who sign in through it can no longer sign in to Ward that way.</p>
      <Problem error={action.error} />
      <div class="form-actions">
        <button
          type="button"
          class="btn danger"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await call(`/identity-providers/${p!.id}`, { method: "DELETE", ifMatch: p!.version });
              props.onDeleted();
            })
          }
        >
          Delete provider
        </button>
        <button type="button" class="btn secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
