import { DateTime, IANAZone } from 'luxon';

/** A tenant's calendar (SPEC §4): the zone and the week and fiscal year every period is cut in. */
export interface TenantCalendar {
  timezone: string;
  /** ISO weekday the week starts on, 1 = Monday … 7 = Sunday. */
  weekStartsOn: number;
  /** Calendar month (1-12) the fiscal year starts in. */
  fiscalYearStartMonth: number;
}

export const DEFAULT_CALENDAR: Readonly<TenantCalendar> = Object.freeze({
  timezone: 'UTC',
  weekStartsOn: 1,
  fiscalYearStartMonth: 1,
});

export const CALENDAR_PERIOD_TYPES = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type CalendarPeriodType = (typeof CALENDAR_PERIOD_TYPES)[number];

/** One period of a tenant calendar: `[start, end)` as instants with the tenant's UTC offset. */
export interface PeriodWindow {
  type: CalendarPeriodType | 'sprint';
  key: string;
  start: string;
  end: string;
}

export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** An ISO 8601 instant with offset, read as a point in time; throws CalendarError when unreadable. */
export function parseInstant(instant: string): DateTime {
  const dt = DateTime.fromISO(instant, { setZone: true });
  if (!dt.isValid) throw new CalendarError(`not an ISO 8601 instant: ${instant}`);
  return dt;
}

/** The wire form of a period boundary: local wall time with the tenant's offset, no milliseconds. */
export function formatInstant(dt: DateTime): string {
  // RFC 3339 offsets have no seconds: a local-mean-time offset such as Monrovia's -00:44:30 (until
  // 1972) would be cut to -00:44 and name another instant, so such boundaries are written in UTC.
  if (!Number.isInteger(dt.offset)) return dt.toUTC().toISO({ suppressMilliseconds: true }) ?? dt.toUTC().toISO()!;
  return dt.toISO({ suppressMilliseconds: true }) ?? dt.toUTC().toISO()!;
}

function zoneOf(calendar: TenantCalendar): string {
  if (!isValidTimeZone(calendar.timezone)) throw new CalendarError(`unknown time zone: ${calendar.timezone}`);
  return calendar.timezone;
}

/** The tenant-local calendar date (`yyyy-MM-dd`) an instant falls on. */
export function localDateOf(instant: string, timezone: string): string {
  return parseInstant(instant).setZone(timezone).toISODate()!;
}

/** Local midnight at the start of a `yyyy-MM-dd` date in `timezone` (DST-safe: luxon resolves gaps). */
export function startOfLocalDate(date: string, timezone: string): DateTime {
  const dt = DateTime.fromISO(date, { zone: timezone });
  if (!dt.isValid) throw new CalendarError(`not a calendar date: ${date}`);
  return dt.startOf('day');
}

function weekStart(local: DateTime, weekStartsOn: number): DateTime {
  const back = (local.weekday - weekStartsOn + 7) % 7;
  // startOf after the subtraction: the start of `local`'s own day may be 01:00 (a DST gap at midnight).
  return local.minus({ days: back }).startOf('day');
}

/**
 * Weeks are numbered ISO-style in the tenant's week: a week belongs to the year its fourth day falls
 * in, and week 1 is the one holding 4 January. With Monday starts this is exactly ISO 8601.
 */
function weekKey(start: DateTime): string {
  const middle = start.plus({ days: 3 });
  const number = Math.floor((middle.ordinal - 1) / 7) + 1;
  return `${middle.year}-W${String(number).padStart(2, '0')}`;
}

/** First month of the fiscal year holding `local`, and the FY name (the calendar year it ends in). */
function fiscalYearOf(local: DateTime, startMonth: number): { startYear: number; name: number } {
  const startYear = local.month >= startMonth ? local.year : local.year - 1;
  return { startYear, name: startMonth === 1 ? startYear : startYear + 1 };
}

function window(type: CalendarPeriodType, key: string, start: DateTime, end: DateTime): PeriodWindow {
  return { type, key, start: formatInstant(start), end: formatInstant(end) };
}

// Calendar arithmetic keeps the wall-clock time: where midnight does not exist (a DST gap at 00:00,
// e.g. America/Santiago) the period starts at 01:00, and `start + 1 day` would be 01:00 of the next
// day — an hour into the next period. The end is always the next period's start: a local midnight.
function endAfter(start: DateTime, duration: { days?: number; months?: number; years?: number }): DateTime {
  return start.plus(duration).startOf('day');
}

/** The period of `type` that contains `instant` in the tenant's calendar (SPEC §5 keys). */
export function periodContaining(type: CalendarPeriodType, instant: string, calendar: TenantCalendar): PeriodWindow {
  const local = parseInstant(instant).setZone(zoneOf(calendar));
  return periodOfLocal(type, local, calendar);
}

function periodOfLocal(type: CalendarPeriodType, local: DateTime, calendar: TenantCalendar): PeriodWindow {
  switch (type) {
    case 'day': {
      const start = local.startOf('day');
      return window(type, start.toISODate()!, start, endAfter(start, { days: 1 }));
    }
    case 'week': {
      const start = weekStart(local, calendar.weekStartsOn);
      return window(type, weekKey(start), start, endAfter(start, { days: 7 }));
    }
    case 'month': {
      const start = local.startOf('month');
      return window(type, start.toFormat('yyyy-MM'), start, endAfter(start, { months: 1 }));
    }
    case 'quarter':
    case 'year': {
      const fy = fiscalYearOf(local, calendar.fiscalYearStartMonth);
      const fyStart = DateTime.fromObject({ year: fy.startYear, month: calendar.fiscalYearStartMonth, day: 1 }, { zone: local.zone });
      if (type === 'year') return window(type, `FY${fy.name}`, fyStart, endAfter(fyStart, { years: 1 }));
      const quarter = Math.floor(((local.month - calendar.fiscalYearStartMonth + 12) % 12) / 3);
      const start = fyStart.plus({ months: quarter * 3 }).startOf('day');
      return window(type, `FY${fy.name}-Q${quarter + 1}`, start, endAfter(start, { months: 3 }));
    }
  }
}

/** Every calendar period (day … fiscal year) that contains `instant`. */
export function periodsContaining(instant: string, calendar: TenantCalendar): PeriodWindow[] {
  const local = parseInstant(instant).setZone(zoneOf(calendar));
  return CALENDAR_PERIOD_TYPES.map((type) => periodOfLocal(type, local, calendar));
}

const KEY_PATTERNS: Readonly<Record<CalendarPeriodType, RegExp>> = {
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  quarter: /^FY(\d{4})-Q([1-4])$/,
  year: /^FY(\d{4})$/,
};

/** The window a period key names in the tenant's calendar; throws CalendarError for a key that names none. */
export function periodOfKey(type: CalendarPeriodType, key: string, calendar: TenantCalendar): PeriodWindow {
  const zone = zoneOf(calendar);
  const m = KEY_PATTERNS[type].exec(key);
  if (!m) throw new CalendarError(`"${key}" is not a ${type} key`);
  const year = Number(m[1]);
  let probe: DateTime;
  switch (type) {
    case 'day':
      probe = DateTime.fromObject({ year, month: Number(m[2]), day: Number(m[3]) }, { zone });
      break;
    case 'week': {
      const week1 = weekStart(DateTime.fromObject({ year, month: 1, day: 4 }, { zone }), calendar.weekStartsOn);
      probe = week1.plus({ weeks: Number(m[2]) - 1 });
      break;
    }
    case 'month':
      probe = DateTime.fromObject({ year, month: Number(m[2]), day: 1 }, { zone });
      break;
    case 'quarter':
    case 'year': {
      const startMonth = calendar.fiscalYearStartMonth;
      const startYear = startMonth === 1 ? year : year - 1;
      const quarter = type === 'quarter' ? Number(m[2]) - 1 : 0;
      probe = DateTime.fromObject({ year: startYear, month: startMonth, day: 1 }, { zone }).plus({ months: quarter * 3 });
      break;
    }
  }
  if (!probe.isValid) throw new CalendarError(`"${key}" is not a ${type} key`);
  const found = periodOfLocal(type, probe, calendar);
  // Round-tripping rejects keys that parse but name nothing (2026-02-30, a week 53 the year lacks).
  if (found.key !== key) throw new CalendarError(`"${key}" is not a ${type} of this calendar`);
  return found;
}

/** A sprint covers `[startDate, startDate + lengthDays)` in the tenant's time zone (SPEC §4). */
export function sprintWindow(sprintId: string, startDate: string, lengthDays: number, timezone: string): PeriodWindow {
  const start = startOfLocalDate(startDate, timezone);
  return { type: 'sprint', key: sprintId, start: formatInstant(start), end: formatInstant(endAfter(start, { days: lengthDays })) };
}

/** Whether `instant` lies in `[window.start, window.end)`. */
export function isWithin(instant: string, period: Pick<PeriodWindow, 'start' | 'end'>): boolean {
  const t = parseInstant(instant).toMillis();
  return t >= parseInstant(period.start).toMillis() && t < parseInstant(period.end).toMillis();
}
