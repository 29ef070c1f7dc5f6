/** The services the BFF forwards to (`/api/{service}/...`). */
export type ServiceName = 'activity-ingestion' | 'sprint-planning' | 'kpi-aggregation' | 'commission' | 'notifications';

export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem from a service or the BFF, as thrown by every call of this client. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly type: string | undefined,
    readonly errors: FieldError[],
    /** The problem's other members (RFC 9457 extensions), e.g. the statements a payout names. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }

  /** The messages naming `path` or a field below it (`targets` matches `targets.calls`). */
  messagesFor(path: string): string[] {
    return this.errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`)).map((e) => e.message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

/** Reads a problem body (or anything else) into a ProblemError. */
export async function problemOf(res: Response): Promise<ProblemError> {
  let body: unknown = undefined;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML page): the status line is all there is.
  }
  const b = isRecord(body) ? body : {};
  const errors = Array.isArray(b['errors'])
    ? b['errors'].filter(isRecord).map((e) => ({ path: String(e['path'] ?? ''), message: String(e['message'] ?? '') }))
    : [];
  return new ProblemError(
    res.status,
    typeof b['title'] === 'string' ? b['title'] : res.statusText || `HTTP ${res.status}`,
    typeof b['detail'] === 'string' ? b['detail'] : undefined,
    typeof b['type'] === 'string' ? b['type'] : undefined,
    errors,
    Object.fromEntries(Object.entries(b).filter(([k]) => !PROBLEM_MEMBERS.has(k))),
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** One call to the BFF (same origin, session cookie); a non-2xx answer throws a ProblemError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  // no-store: TanStack Query is the app's cache and the live stream says when to refetch; the HTTP
  // cache would only add revalidations (the board once kept stale numbers through a 304 that way).
  const init: RequestInit = { method: options.method ?? 'GET', headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(withQuery(path, options.query), init);
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A call to one service through the BFF: `/api/{service}{path}`. */
export function serviceRequest<T>(service: ServiceName, path: string, options: RequestOptions = {}): Promise<T> {
  return request<T>(`/api/${service}${path}`, options);
}

/** Path segments are ids chosen by people: always encoded. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}
