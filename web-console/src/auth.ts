// Who is signed in, and how: an OIDC session of the tenant's realm (authorization code + PKCE,
// public client ward-console) or a Ward API token pasted for automation and break-glass use.
// Tokens live in sessionStorage: gone when the tab closes, never shared with other tabs.
import { jwtClaims, randomToken, s256Challenge } from "./pkce";

const SESSION = "ward.session";
const PENDING = "ward.login";

export interface Session {
  kind: "oidc" | "api-token";
  accessToken: string;
  tenant?: string;
  /** Epoch milliseconds; absent for API tokens. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  tokenEndpoint?: string;
  endSessionEndpoint?: string;
  clientId?: string;
}

/** What the public discovery endpoint answers for a tenant. */
export interface Discovery {
  tenant: string;
  issuer: string;
  consoleClientId: string;
  cliClientId?: string;
}

interface PendingLogin {
  state: string;
  verifier: string;
  tenant: string;
  clientId: string;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
  returnTo: string;
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function emit() {
  for (const l of listeners) l();
}

export function session(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(s: Session | null) {
  if (s) sessionStorage.setItem(SESSION, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION);
  emit();
}

/** The name and roles to show for the signed-in caller. */
export function whoami(): { name: string; groups: string[] } | null {
  const s = session();
  if (!s) return null;
  if (s.kind === "api-token") return { name: "API token", groups: [] };
  const c = jwtClaims(s.accessToken);
  const name = (c.email ?? c.preferred_username ?? c.sub ?? "signed in") as string;
  const groups = Array.isArray(c.groups) ? (c.groups as string[]).map((g) => g.replace(/^\//, "")) : [];
  return { name, groups };
}

export function signInWithApiToken(token: string) {
  save({ kind: "api-token", accessToken: token.trim() });
}

/** Forget the session, e.g. after the API answered 401. */
export function signedOut() {
  save(null);
}

/** The console's redirect URI for the tenant realm's ward-console client. */
export function redirectUri(): string {
  return `${location.origin}/console/callback`;
}

interface OidcMetadata {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

async function metadata(issuer: string): Promise<OidcMetadata> {
  const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`The identity provider of this organisation did not answer (HTTP ${res.status}).`);
  return res.json();
}

/** Starts the authorization code flow with PKCE; the browser leaves for the tenant's realm. */
export async function beginLogin(d: Discovery, returnTo: string): Promise<void> {
  const meta = await metadata(d.issuer);
  const verifier = randomToken();
  const pending: PendingLogin = {
    state: randomToken(),
    verifier,
    tenant: d.tenant,
    clientId: d.consoleClientId,
    tokenEndpoint: meta.token_endpoint,
    endSessionEndpoint: meta.end_session_endpoint,
    returnTo,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: d.consoleClientId,
    redirect_uri: redirectUri(),
    scope: "openid profile email",
    state: pending.state,
    code_challenge: await s256Challenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

/** Completes the flow on /console/callback; answers where to go next. */
export async function completeLogin(params: URLSearchParams): Promise<string> {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (params.get("error")) {
    throw new Error(params.get("error_description") ?? `Sign-in was refused: ${params.get("error")}`);
  }
  if (!raw) throw new Error("This sign-in link was already used or started in another tab. Sign in again.");
  const pending = JSON.parse(raw) as PendingLogin;
  if (params.get("state") !== pending.state) throw new Error("The sign-in answer does not match the request. Sign in again.");
  const code = params.get("code");
  if (!code) throw new Error("The identity provider sent no authorization code. Sign in again.");
  const tokens = await tokenRequest(pending.tokenEndpoint, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(),
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  });
  save({
    kind: "oidc",
    tenant: pending.tenant,
    clientId: pending.clientId,
    tokenEndpoint: pending.tokenEndpoint,
    endSessionEndpoint: pending.endSessionEndpoint,
    ...tokens,
  });
  return pending.returnTo;
}

async function tokenRequest(
  endpoint: string,
  form: Record<string, string>,
): Promise<Pick<Session, "accessToken" | "expiresAt" | "refreshToken" | "idToken">> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new Error(body.error_description ?? `The identity provider refused the sign-in (HTTP ${res.status}).`);
  }
  return {
    accessToken: body.access_token,
    expiresAt: Date.now() + (Number(body.expires_in) || 300) * 1000,
    refreshToken: body.refresh_token,
    idToken: body.id_token,
  };
}

let refreshing: Promise<string | null> | null = null;

/** The bearer token for the API, refreshed shortly before an OIDC token expires. */
export async function accessToken(): Promise<string | null> {
  const s = session();
  if (!s) return null;
  if (s.kind !== "oidc" || !s.expiresAt || s.expiresAt - Date.now() > 30_000) return s.accessToken;
  if (!s.refreshToken || !s.tokenEndpoint || !s.clientId) return s.accessToken;
  refreshing ??= tokenRequest(s.tokenEndpoint, {
    grant_type: "refresh_token",
    refresh_token: s.refreshToken,
    client_id: s.clientId,
  })
    .then((t) => {
      save({ ...s, ...t, refreshToken: t.refreshToken ?? s.refreshToken });
      return t.accessToken;
    })
    .catch(() => {
      save(null);
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Signs out here and, for OIDC, at the tenant realm too. */
export function signOut() {
  const s = session();
  save(null);
  if (s?.kind === "oidc" && s.endSessionEndpoint) {
    const url = new URL(s.endSessionEndpoint);
    url.search = new URLSearchParams({
      client_id: s.clientId ?? "ward-console",
      post_logout_redirect_uri: `${location.origin}/console/login`,
      ...(s.idToken ? { id_token_hint: s.idToken } : {}),
    }).toString();
    location.assign(url.toString());
  }
}
