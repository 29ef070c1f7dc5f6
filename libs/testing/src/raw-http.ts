/** A response of `RawSender`: the status and the body parsed as JSON (undefined when empty). */
export interface RawResponse<J> {
  status: number;
  json: J;
}

/** Sends a raw body with a chosen Content-Type (`null` sends none) and a bearer token. */
export type RawSender<J> = (
  method: string,
  path: string,
  body?: string,
  type?: string | null,
) => Promise<RawResponse<J>>;

/**
 * A client for hostile-input tests: bodies go out exactly as given, and every 4xx/5xx must be a
 * problem document (SPEC §7) — anything else throws, so a test cannot pass on an HTML error page.
 * `baseUrl` and `token` are read per call because suites set them in `beforeAll`.
 */
export function rawSender<J>(baseUrl: () => string, token: () => string): RawSender<J> {
  return async (method, path, body, type = 'application/json') => {
    const headers: Record<string, string> = { authorization: `Bearer ${token()}` };
    if (type !== null) headers['content-type'] = type;
    const res = await fetch(baseUrl() + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    if (res.status >= 400 && !contentType.includes('application/problem+json')) {
      throw new Error(
        `${method} ${path} answered ${res.status} as ${contentType || 'no content type'}, not problem+json`,
      );
    }
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as J };
  };
}

/** The `errors[].path` of a validation problem, in order. */
export function problemPaths(res: { json: unknown }): string[] {
  const errors = (res.json as { errors?: { path: string }[] } | undefined)?.errors ?? [];
  return errors.map((e) => e.path);
}
