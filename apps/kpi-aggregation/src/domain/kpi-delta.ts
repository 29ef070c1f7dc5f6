import { AppliedState, appliedEquals, contributionOf, FactRow } from './kpi-fact';
import { keysOf } from './fact-attribution';
import { KpiKeyRef, refId } from './kpi-key';
import { addTally, emptyTally, KpiTally } from './kpi-tally';
import { ForecastApplied, forecastAppliedEquals, forecastContribution } from './opportunity-forecast';

/** The net change of one key in one batch. */
export interface KeyDelta {
  ref: KpiKeyRef;
  tally: KpiTally;
  /** Newest touchedMs of a fact now in the key (raises the key's asOf). */
  touchedMs: number | null;
  /** A fact left the key: its asOf must be recomputed from the facts still in it. */
  stale: boolean;
}

/** Facts of one rep with the same keys: their changes add up before being spread over the keys. */
interface Bucket {
  repId: string;
  applied: AppliedState;
  tally: KpiTally;
  touchedMs: number | null;
}

/** Identity of the keys a fact belongs to (its rep, periods, teams and sprints). */
function keysSignature(repId: string, a: AppliedState): string {
  return `${repId}\u0001${a.periods.join('\u0001')}\u0001${a.teams.join('\u0002')}\u0001${a.sprints.map((s) => `${s[0]}\u0003${s[1]}`).join('\u0002')}`;
}

/**
 * Collects per-key changes of a batch, so each key is written (and published) once per batch. A
 * batch's facts share few key sets (one rep, one day), so changes are first summed per key set and
 * only then spread over the ~17 keys of each set.
 */
export class DeltaSet {
  private readonly buckets = new Map<string, Bucket>();
  private readonly stale = new Map<string, KpiKeyRef>();

  constructor(private readonly tenantId: string) {}

  /**
   * Records that a fact moved from `before` to `after`: its old contribution leaves its old keys,
   * its new one enters its new keys. Returns false when nothing changed.
   */
  move(row: FactRow, before: AppliedState | null, after: AppliedState): boolean {
    if (appliedEquals(before, after)) return false;
    const afterSignature = keysSignature(row.repId, after);
    if (before) {
      const beforeSignature = keysSignature(row.repId, before);
      if (before.counted) addTally(this.bucket(beforeSignature, row.repId, before).tally, contributionOf(row, before.cycleMs), -1);
      else this.bucket(beforeSignature, row.repId, before);
      if (beforeSignature !== afterSignature || after.touchedMs < before.touchedMs) this.markStale(row, before, after);
    }
    const bucket = this.bucket(afterSignature, row.repId, after);
    if (after.counted) addTally(bucket.tally, contributionOf(row, after.cycleMs), 1);
    if (bucket.touchedMs === null || after.touchedMs > bucket.touchedMs) bucket.touchedMs = after.touchedMs;
    return true;
  }

  /**
   * The same for an opportunity's forecast, whose amount, rep and keys may all change: the old
   * contribution leaves the old keys, the new one enters the new keys; null is "in no key".
   */
  moveForecast(before: ForecastApplied | null, after: ForecastApplied | null): boolean {
    if (forecastAppliedEquals(before, after)) return false;
    const afterSignature = after ? keysSignature(after.repId, after) : null;
    if (before) {
      const beforeSignature = keysSignature(before.repId, before);
      const bucket = this.bucket(beforeSignature, before.repId, before);
      if (before.counted) addTally(bucket.tally, forecastContribution(before), -1);
      if (!after || beforeSignature !== afterSignature || after.touchedMs < before.touchedMs) {
        const decreased = !after || after.touchedMs < before.touchedMs;
        const now = new Set(after ? keysOf(this.tenantId, after, after).map(refId) : []);
        for (const ref of keysOf(this.tenantId, before, before)) {
          const id = refId(ref);
          if (decreased || !now.has(id)) this.stale.set(id, ref);
        }
      }
    }
    if (after && afterSignature !== null) {
      const bucket = this.bucket(afterSignature, after.repId, after);
      if (after.counted) addTally(bucket.tally, forecastContribution(after), 1);
      if (bucket.touchedMs === null || after.touchedMs > bucket.touchedMs) bucket.touchedMs = after.touchedMs;
    }
    return true;
  }

  /** The per-key changes: every key of every touched key set, even when its net change is zero. */
  values(): KeyDelta[] {
    const deltas = new Map<string, KeyDelta>();
    for (const b of this.buckets.values()) {
      for (const ref of keysOf(this.tenantId, b, b.applied)) {
        const id = refId(ref);
        let d = deltas.get(id);
        if (!d) {
          d = { ref, tally: emptyTally(), touchedMs: null, stale: false };
          deltas.set(id, d);
        }
        addTally(d.tally, b.tally, 1);
        if (b.touchedMs !== null && (d.touchedMs === null || b.touchedMs > d.touchedMs)) d.touchedMs = b.touchedMs;
      }
    }
    for (const [id, ref] of this.stale) {
      const d = deltas.get(id) ?? { ref, tally: emptyTally(), touchedMs: null, stale: false };
      d.stale = true;
      deltas.set(id, d);
    }
    return [...deltas.values()];
  }

  private bucket(signature: string, repId: string, applied: AppliedState): Bucket {
    let b = this.buckets.get(signature);
    if (!b) {
      b = { repId, applied, tally: emptyTally(), touchedMs: null };
      this.buckets.set(signature, b);
    }
    return b;
  }

  /** Keys the fact leaves (or whose newest touch may have gone down) need their asOf recomputed. */
  private markStale(row: FactRow, before: AppliedState, after: AppliedState): void {
    const decreased = after.touchedMs < before.touchedMs;
    // The common case (a late membership or sprint only adds keys) leaves nothing behind.
    if (!decreased && before.periods.every((p, i) => p === after.periods[i]) && before.teams.every((t) => after.teams.includes(t))) {
      if (before.sprints.every(([t, s]) => after.sprints.some(([at, as]) => at === t && as === s))) return;
    }
    const now = new Set(keysOf(this.tenantId, row, after).map(refId));
    for (const ref of keysOf(this.tenantId, row, before)) {
      const id = refId(ref);
      if (decreased || !now.has(id)) this.stale.set(id, ref);
    }
  }
}
