import type { ComponentChildren, JSX } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { ApiError } from "../api";

/** A page: its heading takes focus when it opens, so screen readers announce where you are. */
export function Page(props: { title: string; intro?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Ward`;
    h1.current?.focus();
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1} ref={h1}>
            {props.title}
          </h1>
          {props.intro && <p class="intro">{props.intro}</p>}
        </div>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? "Loading…"}
    </div>
  );
}

/** A problem+json answer written for the reader: its title, detail and each invalid field. */
export function Problem(props: { error: ApiError | undefined; onRetry?: () => void }) {
  const e = props.error;
  if (!e) return null;
  return (
    <div class="problem" role="alert">
      <strong>{e.title}</strong>
      {e.detail && <p>{e.detail}</p>}
      {e.errors.length > 0 && (
        <ul>
          {e.errors.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {props.onRetry && (
        <button type="button" class="btn secondary" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children && <div class="empty-next">{props.children}</div>}
    </div>
  );
}

export function Badge(props: { tone?: "ok" | "warn" | "bad" | "info" | "muted"; children: ComponentChildren }) {
  return <span class={`badge ${props.tone ?? "muted"}`}>{props.children}</span>;
}

export const stateTone = (s: string | null | undefined): "ok" | "warn" | "bad" | "info" | "muted" => {
  switch (s) {
    case "online":
    case "ended":
    case "approved":
    case "intact":
    case "INTACT":
    case "allow":
      return "ok";
    case "pending":
    case "started":
    case "hold":
    case "INTACT_RECOVERED":
    case "TAIL_MISSING":
    case "mask":
      return "warn";
    case "revoked":
    case "denied":
    case "interrupted":
    case "deny":
    case "TAMPERED":
    case "tampered":
      return "bad";
    case "offline":
    case "expired":
    case "cancelled":
      return "muted";
    default:
      return "info";
  }
};

type InputProps = Omit<JSX.IntrinsicElements["input"], "onInput" | "value" | "label"> & {
  label: string;
  hint?: ComponentChildren;
  error?: string;
  value: string;
  onValue: (v: string) => void;
};

/** A labelled input with its hint and field error tied to it for assistive technology. */
export function Field({ label, hint, error, value, onValue, ...rest }: InputProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " invalid" : ""}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        {...rest}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-err`} class="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function TextArea(props: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  rows?: number;
  hint?: ComponentChildren;
  error?: string;
  mono?: boolean;
  name?: string;
}) {
  const id = useId();
  return (
    <div class={`field${props.error ? " invalid" : ""}`}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        class={props.mono ? "mono" : undefined}
        value={props.value}
        spellcheck={!props.mono}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.hint || props.error ? `${id}-hint` : undefined}
        onInput={(e) => props.onValue((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {(props.hint || props.error) && (
        <small id={`${id}-hint`} class={props.error ? "field-error" : "hint"}>
          {props.error ?? props.hint}
        </small>
      )}
    </div>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: [string, string][];
  hint?: ComponentChildren;
  error?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <div class={`field${props.error ? " invalid" : ""}`}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-describedby={props.hint || props.error ? `${id}-hint` : undefined}
        onChange={(e) => props.onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {(props.hint || props.error) && (
        <small id={`${id}-hint`} class={props.error ? "field-error" : "hint"}>
          {props.error ?? props.hint}
        </small>
      )}
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChecked: (v: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div class="field check">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChecked((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{props.label}</label>
      {props.hint && <small class="hint">{props.hint}</small>}
    </div>
  );
}

/** A secret or snippet shown once, with a copy button that says when it copied. */
export function CopyBlock(props: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div class="copy-block">
      <div class="copy-head">
        <span id={id}>{props.label}</span>
        <button
          type="button"
          class="btn small secondary"
          aria-describedby={id}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(props.text);
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre aria-labelledby={id} tabIndex={0}>
        <code>{props.text}</code>
      </pre>
    </div>
  );
}

/** A modal dialog (native <dialog>: focus stays inside, Escape closes, focus returns after). */
export function Dialog(props: { title: string; open: boolean; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class={props.wide ? "wide" : undefined} aria-labelledby={id} onClose={props.onClose}>
      <header class="dialog-head">
        <h2 id={id}>{props.title}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.open && props.children}
    </dialog>
  );
}

export function Pager(props: { page: number; size: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(props.total / props.size));
  if (props.total <= props.size && props.page === 0) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="btn secondary small" disabled={props.page <= 0} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page + 1} of {pages} · {props.total.toLocaleString("en")} in all
      </span>
      <button type="button" class="btn secondary small" disabled={props.page + 1 >= pages} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}

/** Field errors of a problem, keyed by field, for forms. */
export function fieldErrors(e: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of e?.errors ?? []) out[f.field] = f.message;
  return out;
}
