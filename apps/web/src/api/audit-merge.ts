import type { ServiceName } from './http';

/** One record of a service's `GET /v1/audit`. */
export interface AuditRecord {
  id: string;
  at: string;
  actor: { sub: string; role: string };
  type: string;
  subject: Record<string, string>;
  summary: Record<string, unknown>;
}

/** What one fetch of one service's audit log gave: a page, or the reason it could not. */
export interface AuditFetch {
  service: ServiceName;
  items: AuditRecord[];
  nextCursor: string | null;
  error?: unknown;
}

export interface MergedAudit {
  /** Newest first; only records no unread page can still come before. */
  rows: (AuditRecord & { service: ServiceName })[];
  /** The cursors to read for "more" (the services holding the merge back), or undefined at the end. */
  next: Partial<Record<ServiceName, string>> | undefined;
  failed: { service: ServiceName; error: unknown }[];
}

/**
 * Merges the services' audit logs, each newest first, into one list. A service with more pages may
 * still hold records as new as its last one read, so rows older than the newest such "last read"
 * (the watermark) wait until that service's next page is read; "more" reads exactly those services.
 */
export function mergeAudit(fetches: AuditFetch[][]): MergedAudit {
  const byService = new Map<ServiceName, { items: AuditRecord[]; nextCursor: string | null; error?: unknown }>();
  for (const round of fetches) {
    for (const f of round) {
      const state = byService.get(f.service) ?? { items: [], nextCursor: null };
      state.items.push(...f.items);
      state.nextCursor = f.error === undefined ? f.nextCursor : null;
      if (f.error !== undefined) state.error = f.error;
      byService.set(f.service, state);
    }
  }
  let watermark: number | undefined;
  const limiting: ServiceName[] = [];
  for (const [service, state] of byService) {
    if (state.nextCursor === null) continue;
    const last = state.items[state.items.length - 1];
    const at = last ? Date.parse(last.at) : Number.POSITIVE_INFINITY;
    if (watermark === undefined || at > watermark) {
      watermark = at;
      limiting.length = 0;
      limiting.push(service);
    } else if (at === watermark) {
      limiting.push(service);
    }
  }
  const rows = [...byService.entries()]
    .flatMap(([service, state]) => state.items.map((r) => ({ ...r, service })))
    .filter((r) => watermark === undefined || Date.parse(r.at) >= watermark)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.service.localeCompare(b.service) || b.id.localeCompare(a.id));
  const next = limiting.length === 0 ? undefined : Object.fromEntries(limiting.map((s) => [s, byService.get(s)?.nextCursor ?? ''])) as Partial<Record<ServiceName, string>>;
  const failed = [...byService.entries()].filter(([, s]) => s.error !== undefined).map(([service, s]) => ({ service, error: s.error }));
  return { rows, next, failed };
}
