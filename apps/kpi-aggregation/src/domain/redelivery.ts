/**
 * What every stored activity (a fact, a cancellation, an opportunity event) keeps of its deliveries:
 * the activity may arrive again and its void may arrive before or after it, in any order.
 */
export interface Redeliverable {
  /** Newest recordedtime of the activity's deliveries; null while only its void has been seen. */
  recordedMs: number | null;
  voided: boolean;
  voidRecordedMs: number | null;
}

/** The later of two optional instants; a missing one never wins. */
export function laterOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * Folds another delivery into what is stored. The result depends only on the set of deliveries,
 * not their order: newest recordedtimes, voided once voided; everything else stays as stored.
 */
export function mergeRedelivery<T extends Redeliverable>(stored: T, incoming: Redeliverable): T {
  return {
    ...stored,
    recordedMs: laterOf(stored.recordedMs, incoming.recordedMs),
    voided: stored.voided || incoming.voided,
    voidRecordedMs: laterOf(stored.voidRecordedMs, incoming.voidRecordedMs),
  };
}

/** Whether a merge moved anything that attribution reads. */
export function redeliveryChanged(before: Redeliverable | undefined, after: Redeliverable): boolean {
  return (
    !before ||
    before.recordedMs !== after.recordedMs ||
    before.voided !== after.voided ||
    before.voidRecordedMs !== after.voidRecordedMs
  );
}
