// The control plane's REST API (docs/api.md): bearer auth, JSON bodies, problem+json errors.
import { accessToken, signedOut } from "./auth";

export const API = "/api/v1";

/** One invalid field of a problem+json answer. */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem as the API answers it, or one made up for a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** Turns a failed response into an ApiError, reading problem+json when the server sent it. */
export async function problemOf(res: Response): Promise<ApiError> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const p = await res.json();
      return new ApiError(
        res.status,
        typeof p.title === "string" ? p.title : res.statusText || `HTTP ${res.status}`,
        typeof p.detail === "string" ? p.detail : undefined,
        Array.isArray(p.errors) ? p.errors : [],
      );
    } catch {
      // fall through to the status line
    }
  }
  return new ApiError(res.status, res.statusText || `HTTP ${res.status}`, describeStatus(res.status));
}

function describeStatus(status: number): string | undefined {
  switch (status) {
    case 401:
      return "Your sign-in has expired. Sign in again.";
    case 403:
      return "Your role does not allow this. Ask a Ward admin of your organisation.";
    case 404:
      return "It does not exist, or it belongs to another organisation.";
    case 502:
    case 503:
    case 504:
      return "The control plane is not reachable right now. Try again in a moment.";
    default:
      return undefined;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  ifMatch?: string | number;
  signal?: AbortSignal;
  /** Send without the bearer token (sign-up, discovery). */
  anonymous?: boolean;
}

/** What a call answered: the JSON body (or null for 204) and the ETag, if any. */
export interface Answer<T> {
  body: T;
  etag: string | null;
}

export async function call<T>(path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (!opts.anonymous) {
    const token = await accessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.ifMatch !== undefined) headers["If-Match"] = `"${opts.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(API + path, {
      method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "same-origin",
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "Network error", "The control plane could not be reached. Check your connection and try again.");
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && !opts.anonymous) signedOut();
    throw problem;
  }
  const etag = res.headers.get("etag");
  if (res.status === 204) return { body: null as T, etag };
  const type = res.headers.get("content-type") ?? "";
  const body = type.includes("json") ? await res.json() : await res.text();
  return { body: body as T, etag };
}

export const get = async <T>(path: string, signal?: AbortSignal) =>
  (await call<T>(path, { signal })).body;

export const post = async <T>(path: string, body: unknown = {}) =>
  (await call<T>(path, { method: "POST", body })).body;

/** A query string of the given values, leaving out empty ones. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && v !== null && `${v}`.trim() !== "") q.set(k, `${v}`.trim());
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
