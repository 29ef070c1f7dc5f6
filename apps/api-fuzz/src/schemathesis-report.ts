import { readFileSync } from 'node:fs';

/** What one Schemathesis run did, read from its NDJSON event report. */
export interface FuzzTally {
  requests: number;
  serverErrors: number;
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
  const tally: FuzzTally = { requests: 0, serverErrors: 0, statuses: {}, failures: [] };
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
    if (node['status'] === 'FAILURE' && typeof node['name'] === 'string') {
      const request = isObject(node['request']) ? node['request'] : undefined;
      const where = request ? `${String(request['method'] ?? '')} ${String(request['uri'] ?? '')}` : '';
      failures.add(`${node['name']}: ${where}`.trim());
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    visit(JSON.parse(line) as Json);
  }
  tally.failures = [...failures];
  return tally;
}
