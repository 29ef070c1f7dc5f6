/** A `deal_cancelled` activity, kept by activity id so its own void can take it back. */
export interface CancelRecord {
  activityId: string;
  dealId: string;
  /** Newest recordedtime of the cancellation's deliveries; null while only its void has been seen. */
  recordedMs: number | null;
  voided: boolean;
  voidRecordedMs: number | null;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

export function mergeCancel(stored: CancelRecord | undefined, incoming: CancelRecord): CancelRecord {
  if (!stored) return incoming;
  return {
    ...stored,
    recordedMs: maxOf(stored.recordedMs, incoming.recordedMs),
    voided: stored.voided || incoming.voided,
    voidRecordedMs: maxOf(stored.voidRecordedMs, incoming.voidRecordedMs),
  };
}

export function cancelChanged(before: CancelRecord | undefined, after: CancelRecord): boolean {
  return (
    !before ||
    before.recordedMs !== after.recordedMs ||
    before.voided !== after.voided ||
    before.voidRecordedMs !== after.voidRecordedMs
  );
}

/** What a deal's cancellations amount to: cancelled if any is not voided, whenever it happened. */
export interface DealCancellation {
  cancelled: boolean;
  /** Newest recordedtime among the cancellations and their voids. */
  touchedMs: number | null;
}

export function cancellationOf(records: readonly CancelRecord[]): DealCancellation {
  let cancelled = false;
  let touchedMs: number | null = null;
  for (const r of records) {
    if (!r.voided) cancelled = true;
    touchedMs = maxOf(touchedMs, maxOf(r.recordedMs, r.voidRecordedMs));
  }
  return { cancelled, touchedMs };
}
