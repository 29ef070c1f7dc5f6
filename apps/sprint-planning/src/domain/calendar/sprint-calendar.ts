import { DateTime } from 'luxon';
import {
  formatInstant,
  instantMillis,
  isCalendarDate,
  isInstant,
  parseInstant,
  PeriodWindow,
  sprintWindow,
  startOfLocalDate,
} from '@pacer/sales-domain';

// The one calendar-date and instant rule lives in @pacer/sales-domain (input-dates.ts).
export { instantMillis, isCalendarDate, isInstant };

/** The calendar date `days` after `date` (dates carry no zone, so this is plain calendar arithmetic). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The first date after a sprint: its dates are `[startDate, endDate)`. */
export function sprintEndDate(startDate: string, lengthDays: number): string {
  return addDays(startDate, lengthDays);
}

/** An instant in the canonical form this service stores and publishes: UTC with `Z`. */
export function toUtcInstant(dt: DateTime | Date): string {
  const value = dt instanceof Date ? DateTime.fromJSDate(dt) : dt;
  return value.toUTC().toISO()!;
}

/**
 * The instant a membership change takes effect: an instant is taken as it is, a calendar date means
 * local midnight at its start in the tenant's zone (DST-safe), and nothing means now.
 */
export function resolveEffectiveInstant(input: string | undefined, timezone: string, now: Date): string {
  if (input === undefined) return toUtcInstant(now);
  if (isCalendarDate(input)) return toUtcInstant(startOfLocalDate(input, timezone));
  return toUtcInstant(parseInstant(input));
}

/** The sprint's window `[startDate, startDate + lengthDays)` in the tenant zone (SPEC §4). */
export function sprintWindowOf(
  sprintId: string,
  startDate: string,
  lengthDays: number,
  timezone: string,
): PeriodWindow {
  return sprintWindow(sprintId, startDate, lengthDays, timezone);
}

/** One local day of a sprint, `[start, end)` as instants with the tenant's offset. */
export interface SprintDay {
  date: string;
  start: string;
  end: string;
}

/**
 * The sprint's days in the tenant zone. A day is local midnight to local midnight, so on a DST change
 * it lasts 23 or 25 hours; the dates are the `day` period keys of the KPI service.
 */
export function sprintDays(startDate: string, lengthDays: number, timezone: string): SprintDay[] {
  const days: SprintDay[] = [];
  for (let i = 0; i < lengthDays; i++) {
    const date = addDays(startDate, i);
    const start = startOfLocalDate(date, timezone);
    const end = startOfLocalDate(addDays(date, 1), timezone);
    days.push({ date, start: formatInstant(start), end: formatInstant(end) });
  }
  return days;
}

/** Whether `[aFrom, aTo)` and `[bFrom, bTo)` share a moment; an absent end is open. */
export function intervalsOverlap(
  aFrom: string,
  aTo: string | undefined,
  bFrom: string,
  bTo: string | undefined,
): boolean {
  const aStart = instantMillis(aFrom);
  const bStart = instantMillis(bFrom);
  const aEnd = aTo === undefined ? Infinity : instantMillis(aTo);
  const bEnd = bTo === undefined ? Infinity : instantMillis(bTo);
  return aStart < bEnd && bStart < aEnd;
}
