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

/** What the provider form holds, as typed. */
export interface ProviderFields {
  alias: string;
  kind: string;
  displayName: string;
  issuerUrl: string;
  /** Where a SAML provider's metadata comes from: its URL, or the document pasted or loaded. */
  metadataSource: "url" | "xml";
  metadataUrl: string;
  metadataXml: string;
  clientId: string;
  clientSecret: string;
  mapping: string;
  enabled: boolean;
}

/** The API body for the form: only the fields of the chosen protocol and metadata source. */
export function providerBody(f: ProviderFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    alias: f.alias,
    kind: f.kind,
    displayName: f.displayName || undefined,
    groupMapping: parseMapping(f.mapping),
    enabled: f.enabled,
  };
  if (f.kind === "oidc") {
    body.issuerUrl = f.issuerUrl;
    body.clientId = f.clientId;
    // Left out on edit keeps the stored secret; the API never shows it.
    if (f.clientSecret) body.clientSecret = f.clientSecret;
  } else {
    // An empty document on edit keeps the stored one; the API never shows it.
    if (f.metadataSource === "xml") {
      if (f.metadataXml.trim()) body.metadataXml = f.metadataXml;
    } else body.metadataUrl = f.metadataUrl;
    if (f.clientId) body.clientId = f.clientId;
  }
  return body;
}

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
                    <code>{p.issuerUrl ?? p.metadataUrl ?? p.samlEntityId}</code>
                    {!p.issuerUrl && !p.metadataUrl && p.samlEntityId && <div class="muted">from metadata XML</div>}
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

export function ProviderForm(props: { existing: IdentityProvider | null; onCancel: () => void; onSaved: () => void }) {
  const e0 = props.existing;
  // A SAML provider saved without a metadata URL was given its metadata document.
  const [metadataSource, setMetadataSource] = useState<"url" | "xml">(e0?.kind === "saml" && !e0.metadataUrl ? "xml" : "url");
  const [metadataXml, setMetadataXml] = useState("");
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
      const body = providerBody({ alias, kind, displayName, issuerUrl, metadataSource, metadataUrl, metadataXml, clientId, clientSecret, mapping, enabled });
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
      <Field label="Display name" name="displayName" value={displayName} onValue={setDisplayName} error={errs.displayName} hint="Shown on the sign-in button." required />
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
        <>
          <Select
            label="Metadata"
            name="metadataSource"
            value={metadataSource}
            onValue={(v) => setMetadataSource(v === "xml" ? "xml" : "url")}
            options={[
              ["url", "From the provider's metadata URL"],
              ["xml", "From a metadata XML document"],
            ]}
          />
          {metadataSource === "url" ? (
            <Field label="Metadata URL" name="metadataUrl" type="url" value={metadataUrl} onValue={setMetadataUrl} error={errs.metadataUrl} required />
          ) : (
            <div class="span-2">
              <TextArea
                label="Metadata XML"
                name="metadataXml"
                value={metadataXml}
                onValue={setMetadataXml}
                rows={8}
                mono
                error={errs.metadataXml ?? errs.metadataUrl}
                hint={
                  e0?.samlEntityId
                    ? `Stored metadata names ${e0.samlEntityId} (sign-in at ${e0.samlSsoUrl ?? "?"}). Leave empty to keep it, or paste newer metadata.`
                    : "The EntityDescriptor your provider offers for download, with its sign-in URL and signing certificate."
                }
              />
              <label class="file-pick">
                Or load a file{" "}
                <input
                  type="file"
                  name="metadataFile"
                  accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
                  onChange={async (e) => {
                    const file = (e.currentTarget as HTMLInputElement).files?.[0];
                    if (file) setMetadataXml(await file.text());
                  }}
                />
              </label>
            </div>
          )}
        </>
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
