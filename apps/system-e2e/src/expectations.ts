import { Decimal } from 'decimal.js';
import { isCommissionDelta } from '@pacer/contracts';
import { ReadRecord } from '@pacer/testing';
import { metricDiffs, ReferenceSnapshot, snapshotKey } from './reference';

interface SnapshotEvent {
  tenantid: string;
  data: {
    scope: string;
    scopeId: string;
    period: { type: string; key: string };
    metrics: Record<string, unknown>;
    revision: number;
  };
}

/** The KTable view of the KPI topic for one tenant: the highest revision per key. */
export function latestSnapshots(records: readonly ReadRecord[], tenantId: string): Map<string, SnapshotEvent['data']> {
  const latest = new Map<string, SnapshotEvent['data']>();
  for (const r of records) {
    if (!r.value) continue;
    const event = JSON.parse(r.value.toString()) as SnapshotEvent;
    if (event.tenantid !== tenantId) continue;
    const d = event.data;
    const key = snapshotKey(d.scope, d.scopeId, d.period.type, d.period.key);
    const seen = latest.get(key);
    if (!seen || seen.revision < d.revision) latest.set(key, d);
  }
  return latest;
}

/** Every difference between the reference and the topic's current state (empty when they agree). */
export function snapshotMismatches(
  expected: ReadonlyMap<string, ReferenceSnapshot>,
  actual: ReadonlyMap<string, SnapshotEvent['data']>,
  limit = 20,
): string[] {
  const out: string[] = [];
  for (const [key, ref] of expected) {
    const got = actual.get(key);
    if (!got) {
      out.push(`${key}: no snapshot`);
    } else {
      const diffs = metricDiffs(ref.metrics, got.metrics);
      if (diffs.length > 0) out.push(`${key}: ${diffs.join('; ')}`);
    }
    if (out.length >= limit) break;
  }
  // Keys the reference has no activity for may exist (e.g. quota-only keys), but they must count nothing.
  for (const [key, got] of actual) {
    if (expected.has(key) || out.length >= limit) continue;
    const counted = ['calls', 'emails', 'dealsWon', 'dealsLost', 'leadsCreated', 'opportunitiesCreated'].filter((m) => got.metrics[m] !== 0);
    if (counted.length > 0) out.push(`${key}: unexpected snapshot counting ${counted.join(', ')}`);
  }
  return out;
}

interface DeltaEvent {
  tenantid: string;
  type: string;
  data: { repId: string; periodKey: string; amount: string };
}

/** The sum of the ledger deltas per `repId|periodKey` for one tenant (SPEC §6 reconciliation). */
export function ledgerTotals(records: readonly ReadRecord[], tenantId: string): Map<string, string> {
  const sums = new Map<string, Decimal>();
  const seen = new Set<string>();
  for (const r of records) {
    if (!r.value) continue;
    const event = JSON.parse(r.value.toString()) as DeltaEvent & { id: string };
    // A record published twice (outbox retry) carries the same id; BI dedupes by id, so do we.
    // Governance events (approvals, payouts, pending deals) share the topic but are not deltas.
    if (event.tenantid !== tenantId || seen.has(event.id) || !isCommissionDelta(event.type)) continue;
    seen.add(event.id);
    const key = `${event.data.repId}|${event.data.periodKey}`;
    sums.set(key, (sums.get(key) ?? new Decimal(0)).plus(event.data.amount));
  }
  return new Map([...sums].map(([k, v]) => [k, v.toFixed(2)]));
}
