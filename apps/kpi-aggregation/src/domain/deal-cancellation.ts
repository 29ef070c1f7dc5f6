import { laterOf, mergeRedelivery, Redeliverable, redeliveryChanged } from './redelivery';

/** A `deal_cancelled` activity, kept by activity id so its own void can take it back. */
export interface CancelRecord extends Redeliverable {
  activityId: string;
  dealId: string;
}

export function mergeCancel(stored: CancelRecord | undefined, incoming: CancelRecord): CancelRecord {
  return stored ? mergeRedelivery(stored, incoming) : incoming;
}

export function cancelChanged(before: CancelRecord | undefined, after: CancelRecord): boolean {
  return redeliveryChanged(before, after);
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
    touchedMs = laterOf(touchedMs, laterOf(r.recordedMs, r.voidRecordedMs));
  }
  return { cancelled, touchedMs };
}
