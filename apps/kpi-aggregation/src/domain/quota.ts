import { KpiKeyRef } from './kpi-key';
import { Versioned } from './latest-wins';
import { MembershipInterval, overlaps } from '@pacer/sales-domain';

/** A rep's quota for one month, fiscal quarter or fiscal year key (the newest `quota_set` wins). */
export interface QuotaRecord extends Versioned {
  repId: string;
  periodKey: string;
  amountCents: bigint;
}

export interface QuotaValue {
  /** null when no rep in scope has a quota for exactly this key. */
  amountCents: bigint | null;
  /** Newest recordedtime among the quotas summed. */
  asOfMs: number | null;
}

/**
 * The quota of a KPI key: the rep's own for exactly that period key; for a team the sum over reps
 * who were members at any time during the period and have one; for the org the sum of every rep's.
 */
export function quotaOf(
  ref: KpiKeyRef,
  window: { startMs: number; endMs: number },
  quotasOfKey: readonly QuotaRecord[],
  teamIntervals: (teamId: string) => readonly MembershipInterval[],
): QuotaValue {
  let reps: ((repId: string) => boolean) | undefined;
  if (ref.scope === 'rep') {
    reps = (repId) => repId === ref.scopeId;
  } else if (ref.scope === 'team') {
    const members = new Map<string, MembershipInterval[]>();
    for (const i of teamIntervals(ref.scopeId)) members.set(i.repId, [...(members.get(i.repId) ?? []), i]);
    reps = (repId) => overlaps(members.get(repId) ?? [], window.startMs, window.endMs);
  }
  let amount: bigint | null = null;
  let asOf: number | null = null;
  for (const q of quotasOfKey) {
    if (q.periodKey !== ref.periodKey || (reps && !reps(q.repId))) continue;
    amount = (amount ?? 0n) + q.amountCents;
    asOf = asOf === null || q.recordedMs > asOf ? q.recordedMs : asOf;
  }
  return { amountCents: amount, asOfMs: asOf };
}
