// A small history router for /console/...: patterns with :params, in-app link clicks, and a
// signal so pages re-render when the location changes.
import { useEffect, useState } from "preact/hooks";

export const BASE = "/console";

export interface Match {
  route: string;
  params: Record<string, string>;
}

/** Matches a path below BASE against patterns like "/sessions/:id"; the first match wins. */
export function matchRoute(path: string, patterns: string[]): Match | null {
  const rel = path.startsWith(BASE) ? path.slice(BASE.length) || "/" : path;
  const parts = rel.replace(/\/+$/, "").split("/").filter(Boolean);
  for (const route of patterns) {
    const want = route.split("/").filter(Boolean);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      if (want[i].startsWith(":")) {
        try {
          params[want[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else if (want[i] !== parts[i]) ok = false;
      if (!ok) break;
    }
    if (ok) return { route, params };
  }
  return null;
}

const listeners = new Set<() => void>();
addEventListener("popstate", () => listeners.forEach((l) => l()));

/** Goes to an in-console path ("/sessions?state=ended"). */
export function navigate(to: string, replace = false) {
  const url = to.startsWith(BASE) ? to : BASE + to;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((l) => l());
}

/** The current location; re-renders the caller when it changes. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, bump] = useState(0);
  const seen = location.pathname + location.search;
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    // A navigation during the first render (a redirect) happened before this listener existed.
    if (location.pathname + location.search !== seen) l();
    return () => listeners.delete(l);
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

/** Lets plain <a href="/console/..."> links navigate without a page load. */
export function interceptLinks(root: HTMLElement) {
  root.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as HTMLElement).closest("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const href = a.getAttribute("href");
    if (!href || !href.startsWith(BASE)) return;
    e.preventDefault();
    navigate(href);
  });
}
