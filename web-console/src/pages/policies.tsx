import { useEffect, useRef, useState } from "preact/hooks";
import { type Page as ApiPage, ApiError, call, post } from "../api";
import { Badge, Checkbox, Dialog, Empty, Field, Loading, Page, Problem, TextArea, fieldErrors, stateTone } from "../components/ui";
import { relative } from "../format";
import { useAction, useResource } from "../hooks";
import { BASE, navigate } from "../router";
import type { Policy } from "../types";

/** A starting point for a new policy: every secret masked, destructive SQL denied, access for all. */
export const STARTER_POLICY = {
  schemaVersion: 1,
  masking: { secrets: { enabled: true, families: ["*"] }, pii: { email: { strategy: "hmac" } } },
  guardrails: {
    sql: [
      { id: "no-drop", operations: ["drop", "truncate"], action: "deny" },
      { id: "bounded-writes", operations: ["update", "delete"], withoutWhere: true, action: "deny", reason: "UPDATE and DELETE need a WHERE clause." },
    ],
  },
  access: [{ id: "everyone", groups: ["*"], connections: ["*"], mode: "read-write" }],
};

export function Policies() {
  const list = useResource<ApiPage<Policy>>("/policies?size=200");
  return (
    <Page
      title="Policies"
      intro="What Ward masks in results, which operations it denies or holds for approval, and who may use which connection."
      actions={
        <a class="btn primary" href={`${BASE}/policies/new`}>
          New policy
        </a>
      }
    >
      {list.loading && !list.data && <Loading label="Loading policies…" />}
      <Problem error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && (
        <Empty title="No policies of your own yet">
          <p>Connections without a policy use Ward's default: every secret masked, DROP and TRUNCATE denied. Write a policy to add masking, guardrails and approvals.</p>
          <a class="btn primary" href={`${BASE}/policies/new`}>
            New policy
          </a>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Version</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <a href={`${BASE}/policies/${p.id}`}>{p.name}</a>
                  </th>
                  <td>{p.description || <span class="muted">—</span>}</td>
                  <td>{p.version}</td>
                  <td>{relative(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

/** Parses the editor's text; answers the document or a message for the reader. */
export function parseDocument(text: string): { document?: Record<string, unknown>; error?: string } {
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== "object" || Array.isArray(v)) return { error: "The policy document must be a JSON object." };
    return { document: v };
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
}

export function PolicyEditor(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const existing = useResource<Policy>(id ? `/policies/${id}` : null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [text, setText] = useState(JSON.stringify(STARTER_POLICY, null, 2));
  const [version, setVersion] = useState<number | undefined>();
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const save = useAction();
  useEffect(() => {
    const p = existing.data;
    if (p) {
      setName(p.name);
      setDescription(p.description ?? "");
      setText(JSON.stringify(p.document, null, 2));
      setVersion(p.version);
    }
  }, [existing.data]);
  const parsed = parseDocument(text);
  const errs = fieldErrors(save.error);
  const docErrors = (save.error?.errors ?? []).filter((e) => e.field.startsWith("document"));

  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    save.run(async () => {
      if (parsed.error) throw new ApiError(400, "The document is not valid JSON", parsed.error);
      const body = { name, description: description || undefined, document: parsed.document };
      const r = id ? await call<Policy>(`/policies/${id}`, { method: "PUT", body, ifMatch: version }) : await call<Policy>("/policies", { method: "POST", body });
      setVersion(r.body.version);
      setSaved(true);
      if (!id) navigate(`/policies/${r.body.id}`, true);
    });
  };

  if (id && existing.loading && !existing.data) return <Loading label="Loading policy…" />;
  if (id && existing.error) return <Problem error={existing.error} onRetry={existing.reload} />;

  return (
    <Page
      title={id ? `Policy ${name}` : "New policy"}
      intro={
        <>
          The document is checked when you save: anything Ward cannot enforce is refused with its place in the document. See <code>policy/POLICY.md</code> for every rule.
        </>
      }
      actions={
        id && (
          <button type="button" class="btn danger" onClick={() => setDeleting(true)}>
            Delete
          </button>
        )
      }
    >
      <div class="split">
        <form onSubmit={submit} class="card" aria-label="Policy">
          <Field label="Name" name="name" value={name} onValue={setName} error={errs.name} hint="Lower-case letters, digits and dashes." required />
          <Field label="Description" name="description" value={description} onValue={setDescription} error={errs.description} maxLength={1000} />
          <TextArea label="Document (JSON)" name="document" value={text} onValue={setText} rows={22} mono error={parsed.error ?? (docErrors.length ? `${docErrors.length} problem(s), listed below` : undefined)} />
          <Problem error={save.error} />
          {saved && (
            <p class="notice ok" role="status">
              Saved as version {version}. Agents receive it within seconds.
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="btn primary" disabled={save.busy || !!parsed.error}>
              {save.busy ? "Saving…" : id ? "Save changes" : "Create policy"}
            </button>
            <a class="btn secondary" href={`${BASE}/policies`}>
              Back to policies
            </a>
          </div>
        </form>
        <PolicyTester document={parsed.document} />
      </div>
      {id && <DeletePolicy id={id} name={name} version={version} open={deleting} onClose={() => setDeleting(false)} />}
    </Page>
  );
}

interface DryRunResult {
  valid: boolean;
  problems: { field: string; message: string }[];
  maskedText: string | null;
  maskedJson: string | null;
  maskedRows: string[][] | null;
  masked: { ruleId: string; location: string; count: number; strategy: string }[];
  decision: { verdict: string; ruleId: string | null; reason: string | null } | null;
  statements: string[];
}

/** Runs the draft document on a sample as you type (debounced): masking and the SQL decision. */
function PolicyTester(props: { document: Record<string, unknown> | undefined }) {
  const [sampleText, setSampleText] = useState("api_key=AKIAQ3EGRBXJ7K4N2WPZ contact ada@example.com");
  const [sql, setSql] = useState("UPDATE orders SET paid = true");
  const [readOnly, setReadOnly] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const action = useAction();
  const latest = useRef(0);
  const doc = props.document;
  useEffect(() => {
    if (!doc) return;
    const t = setTimeout(() => {
      const run = ++latest.current;
      action.run(async () => {
        const r = await post<DryRunResult>("/policies/test", { document: doc, sample: { text: sampleText || undefined, sql: sql || undefined, readOnly } });
        // An answer to an older draft or sample must not replace a newer one.
        if (run === latest.current) setResult(r);
      });
    }, 400);
    return () => clearTimeout(t);
  }, [JSON.stringify(doc), sampleText, sql, readOnly]);

  return (
    <section class="card tester" aria-labelledby="tester-title">
      <h2 id="tester-title">Try it</h2>
      <p class="hint">Runs the document as edited, before you save. Nothing is stored.</p>
      <TextArea label="Sample result text" name="sample-text" value={sampleText} onValue={setSampleText} rows={3} mono />
      <TextArea label="Sample SQL statement" name="sample-sql" value={sql} onValue={setSql} rows={2} mono />
      <Checkbox label="The caller has read-only access" checked={readOnly} onChecked={setReadOnly} />
      <div aria-live="polite" aria-busy={action.busy}>
        {action.busy && <Loading label="Testing…" />}
        <Problem error={action.error} />
        {!doc && <p class="muted">Fix the JSON to try the policy.</p>}
        {result && !result.valid && (
          <div class="problem" role="alert">
            <strong>Ward cannot enforce this document</strong>
            <ul>
              {result.problems.map((p) => (
                <li key={p.field}>
                  <code>{p.field}</code>: {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {result && result.valid && (
          <dl class="results">
            <dt>Result as the client sees it</dt>
            <dd>
              <pre class="masked-output">{result.maskedText ?? "—"}</pre>
            </dd>
            <dt>Masked</dt>
            <dd>
              {result.masked.length === 0
                ? "nothing"
                : result.masked.map((m) => (
                    <div key={m.ruleId + m.location}>
                      <Badge tone="warn">{m.ruleId}</Badge> {m.count}× by {m.strategy} in {m.location}
                    </div>
                  ))}
            </dd>
            <dt>Decision on the statement</dt>
            <dd>
              {result.decision ? (
                <>
                  <Badge tone={stateTone(result.decision.verdict)}>{result.decision.verdict}</Badge>
                  {result.decision.ruleId && <> by rule <code>{result.decision.ruleId}</code></>}
                  {result.decision.reason && <div class="muted">{result.decision.reason}</div>}
                </>
              ) : (
                "—"
              )}
            </dd>
          </dl>
        )}
      </div>
    </section>
  );
}

function DeletePolicy(props: { id: string; name: string; version: number | undefined; open: boolean; onClose: () => void }) {
  const action = useAction();
  return (
    <Dialog title={`Delete ${props.name}?`} open={props.open} onClose={props.onClose}>
      <p>A policy that a connection uses cannot be deleted: move those connections to another policy first.</p>
      <Problem error={action.error} />
      <div class="form-actions">
        <button
          type="button"
          class="btn danger"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await call(`/policies/${props.id}`, { method: "DELETE", ifMatch: props.version });
              navigate("/policies");
            })
          }
        >
          Delete policy
        </button>
        <button type="button" class="btn secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
