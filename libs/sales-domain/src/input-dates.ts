import { DateTime } from 'luxon';
import { parseInstant } from './calendar';
import { INPUT_LIMITS, INPUT_PATTERNS } from './input-limits';

// Calendar dates and instants as SPEC §3 reads them: real dates of the proleptic Gregorian calendar
// (no 30 February, no month 13), instants with an explicit offset, and the windows a field may lie in.
// Checked by arithmetic rather than by parsing with luxon: this runs for every instant of a 1 GB
// import, and the arithmetic is small enough to be tested exhaustively (input-dates-*.spec.ts).

const INSTANT_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether `value` is a real calendar date written `yyyy-MM-dd` (2026-02-30, 2026-13-01 are not). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_PARTS.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An RFC 3339 instant with an explicit offset (`Z` or `±HH:MM`, at most ±14:00) that exists in the
 * proleptic Gregorian calendar (no 30 February, no hour 24, no leap second).
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT_PARTS.exec(value);
  if (!m || !INPUT_PATTERNS.instant.test(value)) return false;
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[9] !== undefined && (Number(m[11]) > 59 || Number(m[10]) * 60 + Number(m[11]) > INPUT_LIMITS.maxOffsetMinutes))
    return false;
  return true;
}

/**
 * Milliseconds since the epoch of an instant (compare instants as moments, never as strings); throws
 * `CalendarError` for text that is no ISO 8601 instant at all.
 */
export function instantMillis(instant: string): number {
  // Date.parse reads RFC 3339 with offsets exactly and is much cheaper than luxon on hot paths
  // (deal ordering, burnups); luxon reads every other ISO 8601 spelling, in which Date.parse and
  // luxon would disagree (a missing offset), and refuses what is none.
  return isInstant(instant) ? Date.parse(instant) : parseInstant(instant).toMillis();
}

/** Milliseconds since the epoch of UTC midnight starting a valid calendar date. */
export function calendarDateMillis(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Which window of SPEC §3 a date or instant must lie in, relative to when the request arrived. */
export type InputWindow = 'occurred' | 'lookAhead';

const EARLIEST_MILLIS = Date.parse(INPUT_LIMITS.earliest);

// The last window computed per kind, by receipt millisecond: a batch checks thousands of instants
// within a few milliseconds, and luxon's calendar arithmetic per check was a fifth of the batch
// endpoint's CPU (profile of the ingestion bench).
const lastWindow: Record<InputWindow, { receivedAt: number; earliest: number; latest: number } | undefined> = {
  occurred: undefined,
  lookAhead: undefined,
};

/** `[earliest, latest]` in epoch milliseconds for `window`, given the receipt time. */
export function inputWindow(window: InputWindow, receivedAt: number = Date.now()): { earliest: number; latest: number } {
  const last = lastWindow[window];
  if (last !== undefined && last.receivedAt === receivedAt) return { earliest: last.earliest, latest: last.latest };
  const receipt = DateTime.fromMillis(receivedAt, { zone: 'utc' });
  const latest = (
    window === 'occurred'
      ? receipt.plus({ days: INPUT_LIMITS.occurredAheadDays })
      : receipt.plus({ years: INPUT_LIMITS.lookAheadYears })
  ).toMillis();
  lastWindow[window] = { receivedAt, earliest: EARLIEST_MILLIS, latest };
  return { earliest: EARLIEST_MILLIS, latest };
}

/** A valid instant inside `window` (`occurredAt`, `openedAt`: occurred; `scheduledFor`: lookAhead). */
export function isInstantInWindow(value: unknown, window: InputWindow, receivedAt?: number): value is string {
  if (!isInstant(value)) return false;
  const { earliest, latest } = inputWindow(window, receivedAt);
  const at = Date.parse(value);
  return at >= earliest && at <= latest;
}

/**
 * A real calendar date inside `window`. A date has no zone, so it is compared as the UTC day: the
 * bounds are a day wide at most, far below the windows' own size.
 */
export function isCalendarDateInWindow(value: unknown, window: InputWindow, receivedAt?: number): value is string {
  if (!isCalendarDate(value)) return false;
  const { earliest, latest } = inputWindow(window, receivedAt);
  const at = calendarDateMillis(value);
  return at >= earliest && at <= latest;
}
