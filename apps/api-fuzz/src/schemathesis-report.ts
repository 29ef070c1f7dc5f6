import { readFileSync } from 'node:fs';

/** What one Schemathesis run did, read from its NDJSON event report. */
export interface FuzzTally {
  requests: number;
  serverErrors: number;
  /** Operations Schemathesis could not generate a body for. */
  skipped: number;
  /** Status codes seen, with counts (for the log line). */
  statuses: Record<string, number>;
  /** Distinct failed checks, `check: METHOD path (status)`, for the assertion message. */
  failures: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tallies every request/response interaction and every failed check in a report written with
 * `--report ndjson`. The walk is generic (any object with `request` and `response.status_code` is an
 * interaction) so it does not depend on how deeply the engine nests its events.
 */
export function tallySchemathesisReport(file: string): FuzzTally {
  const tally: FuzzTally = { requests: 0, serverErrors: 0, skipped: 0, statuses: {}, failures: [] };
  const failures = new Set<string>();
  const visit = (node: Json | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) return;
    const response = node['response'];
    if (isObject(node['request']) && isObject(response) && typeof response['status_code'] === 'number') {
      const status = response['status_code'];
      tally.requests += 1;
      tally.statuses[String(status)] = (tally.statuses[String(status)] ?? 0) + 1;
      if (status >= 500) tally.serverErrors += 1;
    }
    // A check node: {name, status: "failure", failure_info: {code_sample: "curl ...", failure: {title, ...}}}.
    if (node['status'] === 'failure' && typeof node['name'] === 'string') {
      const info = isObject(node['failure_info']) ? node['failure_info'] : {};
      const failure = isObject(info['failure']) ? info['failure'] : {};
      const curl = typeof info['code_sample'] === 'string' ? info['code_sample'] : '';
      const method = /-X (\w+)/.exec(curl)?.[1] ?? 'GET';
      const url = /(https?:\/\/[^\s'"]+)/.exec(curl)?.[1];
      const where = url ? `${method} ${new URL(url).pathname}` : curl.slice(0, 160);
      const what = String(failure['title'] ?? failure['message'] ?? '')
        .split('\n')
        .filter(Boolean)
        .join(' / ');
      failures.add(
        where || what
          ? `${node['name']} ${where}: ${what}`
          : `${node['name']}: ${JSON.stringify(node).slice(0, 600)}`,
      );
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as Json;
    // The engine could not test something (an unreadable schema, a network error): that is a failure too.
    if (isObject(event) && (event['NonFatalError'] !== undefined || event['FatalError'] !== undefined)) {
      const text = JSON.stringify(event);
      // Limits of the generator, not of the API: no NDJSON/CSV bodies (the streamed import, covered by
      // activity-ingestion's import specs) and, in rare soak rounds, a negated `oneOf` it cannot build
      // for the activity body. Counted and printed as skipped, not failed.
      if (text.includes('SerializationNotPossible') || text.includes('UnsupportedSchema')) tally.skipped += 1;
      else failures.add(`error: ${text.slice(0, 300)}`);
    }
    visit(event);
  }
  tally.failures = [...failures];
  return tally;
}
