import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';

/**
 * Where "now" is in a sprint: the share of its `[start, end)` window gone, 0 before and 1 after.
 * The window is the API's (instants with the tenant's offset), so a DST day counts as the day it is.
 */
export function elapsedShare(window: { start: string; end: string }, now: DateTime = DateTime.now()): number {
  const start = DateTime.fromISO(window.start, { setZone: true }).toMillis();
  const end = DateTime.fromISO(window.end, { setZone: true }).toMillis();
  if (!(end > start)) return 1;
  const t = now.toMillis();
  if (t <= start) return 0;
  if (t >= end) return 1;
  return (t - start) / (end - start);
}

/** Days of the sprint begun so far (1 on the first day), out of its length. */
export function daysGone(window: { start: string; end: string }, lengthDays: number, now: DateTime = DateTime.now()): number {
  return Math.min(lengthDays, Math.max(0, Math.ceil(elapsedShare(window, now) * lengthDays)));
}

export type PaceStatus = 'ahead' | 'onPace' | 'behind' | 'none';

export interface Pace {
  /** actual / (target × elapsed share): 1 means exactly on pace. Null without a target or before the start. */
  index: number | null;
  status: PaceStatus;
}

/**
 * Pace of an actual against its target at a point of the sprint: the actual compared with the share
 * of the target the days gone would ask for. The service's progress ratio (actual / target) is not
 * recomputed here; pace is the reading of that ratio against time, which only the viewer's clock has.
 * Behind means under 0.8 of the expected share (SPEC §9's "behind pace" threshold), ahead over 1.1.
 */
export function paceOf(progress: number | null | undefined, share: number): Pace {
  if (progress === null || progress === undefined || share <= 0) return { index: null, status: 'none' };
  const index = new Decimal(progress).dividedBy(share).toNumber();
  const status: PaceStatus = index < 0.8 ? 'behind' : index > 1.1 ? 'ahead' : 'onPace';
  return { index, status };
}

/** Ideal burnup value on day `dayIndex` (1-based) of a `lengthDays` sprint for a target: a straight line. */
export function idealAt(target: number | string, dayIndex: number, lengthDays: number): number {
  if (lengthDays <= 0) return 0;
  return new Decimal(target).times(dayIndex).dividedBy(lengthDays).toDecimalPlaces(2).toNumber();
}
