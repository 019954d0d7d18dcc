import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { onSessionChange, session, signOut, whoami } from "./auth";
import { BASE, matchRoute, navigate, useLocation } from "./router";
import { Agents } from "./pages/agents";
import { Approvals } from "./pages/approvals";
import { Audit } from "./pages/audit";
import { Callback, Login } from "./pages/login";
import { Connections } from "./pages/connections";
import { IdentityProviders } from "./pages/identity-providers";
import { Members } from "./pages/members";
import { Overview } from "./pages/overview";
import { Policies, PolicyEditor } from "./pages/policies";
import { SessionReplay } from "./pages/replay";
import { Sessions } from "./pages/sessions";
import { Signup } from "./pages/signup";

type PageProps = { params: Record<string, string> };

const PUBLIC: Record<string, ComponentType<PageProps>> = {
  "/login": Login,
  "/signup": Signup,
  "/callback": Callback,
};

const PAGES: Record<string, ComponentType<PageProps>> = {
  "/": Overview,
  "/agents": Agents,
  "/connections": Connections,
  "/policies": Policies,
  "/policies/new": PolicyEditor,
  "/policies/:id": PolicyEditor,
  "/identity-providers": IdentityProviders,
  "/members": Members,
  "/sessions": Sessions,
  "/sessions/:id": SessionReplay,
  "/approvals": Approvals,
  "/audit": Audit,
};

const NAV: { href: string; label: string; section?: string }[] = [
  { href: "/", label: "Overview" },
  { href: "/sessions", label: "Sessions", section: "Evidence" },
  { href: "/approvals", label: "Approvals" },
  { href: "/audit", label: "Audit log" },
  { href: "/connections", label: "Connections", section: "Configuration" },
  { href: "/policies", label: "Policies" },
  { href: "/agents", label: "Agents" },
  { href: "/identity-providers", label: "Identity providers", section: "People" },
  { href: "/members", label: "Members and groups" },
];

function useSession() {
  const [s, setS] = useState(session());
  useEffect(() => onSessionChange(() => setS(session())), []);
  return s;
}

export function App() {
  const loc = useLocation();
  const signedIn = useSession();
  const publicMatch = matchRoute(loc.path, Object.keys(PUBLIC));
  if (publicMatch) {
    const P = PUBLIC[publicMatch.route];
    return (
      <main id="main" class="bare">
        <P params={publicMatch.params} />
      </main>
    );
  }
  if (!signedIn) {
    const returnTo = loc.path.slice(BASE.length) + location.search;
    return <Redirect to={`/login${returnTo && returnTo !== "/" ? `?next=${encodeURIComponent(returnTo)}` : ""}`} />;
  }
  const m = matchRoute(loc.path, Object.keys(PAGES));
  const P = m ? PAGES[m.route] : NotFound;
  return (
    <Shell path={loc.path}>
      <P params={m?.params ?? {}} />
    </Shell>
  );
}

function Shell(props: { path: string; children: preact.ComponentChildren }) {
  const me = whoami();
  const rel = props.path.slice(BASE.length) || "/";
  const current = (href: string) => (href === "/" ? rel === "/" : rel === href || rel.startsWith(`${href}/`));
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={`${BASE}/`} aria-label="Ward overview">
          <img src={`${BASE}/favicon.svg`} alt="" width={24} height={24} />
          Ward
        </a>
        <div class="me">
          <span class="me-name">{me?.name}</span>
          <button type="button" class="btn secondary small" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              {n.section && <span class="nav-section">{n.section}</span>}
              <a href={`${BASE}${n.href === "/" ? "/" : n.href}`} aria-current={current(n.href) ? "page" : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, true), [props.to]);
  return null;
}

function NotFound() {
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Go to the <a href={`${BASE}/`}>overview</a>.
      </p>
    </section>
  );
}
