import { useEffect, useState } from "preact/hooks";
import { call } from "../api";
import { Field, Problem, fieldErrors } from "../components/ui";
import { useAction } from "../hooks";
import { BASE } from "../router";

interface SignedUp {
  tenantId: string;
  slug: string;
  realm: string;
  issuer: string;
  consoleUrl: string;
}

export function Signup() {
  const [organisation, setOrganisation] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<SignedUp | null>(null);
  const action = useAction();
  useEffect(() => {
    document.title = "Create an organisation · Ward";
  }, []);
  const errs = fieldErrors(action.error);

  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      const r = await call<SignedUp>("/signup", { method: "POST", body: { organisation, email, password }, anonymous: true });
      localStorage.setItem("ward.tenant", r.body.slug);
      setDone(r.body);
    });
  };

  if (done) {
    return (
      <div class="auth-card" role="status">
        <h1>Your organisation is ready</h1>
        <p>
          Ward created <strong>{done.slug}</strong> and its sign-in realm. Sign in as <strong>{email}</strong> with the password you chose.
        </p>
        <a class="btn primary wide" href={`${BASE}/login?tenant=${encodeURIComponent(done.slug)}`}>
          Continue to sign in
        </a>
      </div>
    );
  }

  return (
    <div class="auth-card">
      <h1 class="auth-brand">
        <img src={`${BASE}/favicon.svg`} alt="" width={32} height={32} /> Create your organisation
      </h1>
      <p class="intro">You become its first admin. Connect your identity provider and invite your team afterwards.</p>
      <form onSubmit={submit} noValidate>
        <Field label="Organisation name" name="organisation" autoComplete="organization" value={organisation} onValue={setOrganisation} error={errs.organisation} required maxLength={100} />
        <Field label="Your work email" name="email" type="email" autoComplete="email" value={email} onValue={setEmail} error={errs.email} required maxLength={254} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" value={password} onValue={setPassword} error={errs.password} hint="At least 12 characters." required minLength={12} maxLength={128} />
        <Problem error={action.error} />
        <button class="btn primary wide" type="submit" disabled={action.busy}>
          {action.busy ? "Creating…" : "Create organisation"}
        </button>
      </form>
      <p class="auth-alt">
        Already on Ward? <a href={`${BASE}/login`}>Sign in</a>
      </p>
    </div>
  );
}
