import { useEffect, useState } from "preact/hooks";
import { ApiError, call, query } from "../api";
import { beginLogin, completeLogin, type Discovery, signInWithApiToken } from "../auth";
import { Field, Loading, Problem } from "../components/ui";
import { asProblem, useAction } from "../hooks";
import { BASE, navigate } from "../router";

function nextPath(): string {
  const next = new URLSearchParams(location.search).get("next") ?? "/";
  // Only paths inside the console: never an open redirect.
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function Login() {
  const params = new URLSearchParams(location.search);
  const [tenant, setTenant] = useState(params.get("tenant") ?? localStorage.getItem("ward.tenant") ?? "");
  const [token, setToken] = useState("");
  const sso = useAction();
  const api = useAction();
  useEffect(() => {
    document.title = "Sign in · Ward";
  }, []);

  const startSso = (e: Event) => {
    e.preventDefault();
    sso.run(async () => {
      if (!tenant.trim()) throw new ApiError(400, "Organisation needed", "Enter your organisation's Ward name, e.g. acme.");
      const d = (await call<Discovery>(`/auth/discovery${query({ tenant })}`, { anonymous: true })).body;
      localStorage.setItem("ward.tenant", d.tenant);
      await beginLogin(d, nextPath());
    });
  };

  const useToken = (e: Event) => {
    e.preventDefault();
    api.run(async () => {
      if (!/^wapi_\S+$/.test(token.trim())) {
        throw new ApiError(400, "Not a Ward API token", "API tokens start with wapi_. Create one under Settings or with the API.");
      }
      signInWithApiToken(token);
      try {
        await call("/connections?size=1");
      } catch (err) {
        const p = asProblem(err);
        if (p.status === 401) throw new ApiError(401, "Token refused", "This token is unknown or revoked.");
      }
      navigate(nextPath(), true);
    });
  };

  return (
    <div class="auth-card">
      <h1 class="auth-brand">
        <img src={`${BASE}/favicon.svg`} alt="" width={32} height={32} /> Sign in to Ward
      </h1>
      <form onSubmit={startSso} aria-describedby="sso-help">
        <p id="sso-help" class="intro">
          You sign in with your organisation's identity provider.
        </p>
        <Field label="Organisation" name="tenant" autoComplete="organization" value={tenant} onValue={setTenant} hint="The short name chosen at sign-up, e.g. acme." required />
        <Problem error={sso.error} />
        <button class="btn primary wide" type="submit" disabled={sso.busy}>
          {sso.busy ? "Redirecting…" : "Continue"}
        </button>
      </form>
      <details class="token-login">
        <summary>Sign in with an API token</summary>
        <form onSubmit={useToken}>
          <Field label="API token" name="api-token" type="password" autoComplete="off" value={token} onValue={setToken} hint="For automation accounts. The token stays in this tab only." />
          <Problem error={api.error} />
          <button class="btn secondary wide" type="submit" disabled={api.busy}>
            Sign in with token
          </button>
        </form>
      </details>
      <p class="auth-alt">
        New to Ward? <a href={`${BASE}/signup`}>Create an organisation</a>
      </p>
    </div>
  );
}

/** Where the tenant realm sends the browser back with the authorization code. */
export function Callback() {
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    document.title = "Signing in · Ward";
    completeLogin(new URLSearchParams(location.search)).then(
      (to) => navigate(to, true),
      (e) => setError(new ApiError(401, "Sign-in failed", (e as Error).message)),
    );
  }, []);
  return (
    <div class="auth-card">
      <h1>Signing in</h1>
      {error ? (
        <>
          <Problem error={error} />
          <a class="btn primary" href={`${BASE}/login`}>
            Back to sign-in
          </a>
        </>
      ) : (
        <Loading label="Completing sign-in…" />
      )}
    </div>
  );
}
