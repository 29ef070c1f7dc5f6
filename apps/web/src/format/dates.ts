import { DateTime } from 'luxon';
import { intlLocale } from './locale';

/** The tenant calendar as `GET /v1/settings` returns it. */
export interface TenantCalendarSettings {
  timezone: string;
  weekStartsOn: number;
  fiscalYearStartMonth: number;
}

/** An instant, in the tenant's zone, as a date and time ("Nov 27, 2026, 9:30 AM"). */
export function formatDateTime(instant: string | null | undefined, timezone: string, language: string): string {
  if (!instant) return '—';
  const dt = DateTime.fromISO(instant, { setZone: true }).setZone(timezone);
  if (!dt.isValid) return instant;
  return dt.setLocale(intlLocale(language)).toLocaleString(DateTime.DATETIME_MED);
}

/** A calendar date (YYYY-MM-DD, already local to the tenant) as "Nov 27, 2026". */
export function formatDate(date: string | null | undefined, language: string): string {
  if (!date) return '—';
  const dt = DateTime.fromISO(date, { zone: 'UTC' });
  if (!dt.isValid) return date;
  return dt.setLocale(intlLocale(language)).toLocaleString(DateTime.DATE_MED);
}

/** A short day label for chart axes ("Fri 27"). */
export function formatDayShort(date: string, language: string): string {
  const dt = DateTime.fromISO(date, { zone: 'UTC' });
  if (!dt.isValid) return date;
  return dt.setLocale(intlLocale(language)).toFormat('ccc d');
}

/**
 * A period window `[start, end)` of the API (instants with the tenant's offset) as the dates it
 * covers in the tenant's zone: "Nov 22 – Nov 28, 2026". The end is exclusive, so the last day shown
 * is the day before it.
 */
export function formatPeriodRange(start: string, end: string, timezone: string, language: string): string {
  const from = DateTime.fromISO(start, { setZone: true }).setZone(timezone).setLocale(intlLocale(language));
  const to = DateTime.fromISO(end, { setZone: true }).setZone(timezone).minus({ milliseconds: 1 }).setLocale(intlLocale(language));
  if (!from.isValid || !to.isValid) return `${start} – ${end}`;
  const sameYear = from.year === to.year;
  const left = from.toLocaleString(sameYear ? { month: 'short', day: 'numeric' } : DateTime.DATE_MED);
  return `${left} – ${to.toLocaleString(DateTime.DATE_MED)}`;
}

/**
 * The tenant-local date `days` after a date: sprint days are calendar days in the tenant's zone, so
 * this is calendar arithmetic on the date itself, never on instants.
 */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}

/** Today's date in the tenant's zone (the default start of a new sprint, the "now" of a period). */
export function todayIn(timezone: string, now: DateTime = DateTime.now()): string {
  return now.setZone(timezone).toISODate() ?? now.toISODate() ?? '';
}

/** The current instant with the tenant's offset, as the services' inputs want it. */
export function nowInstant(timezone: string, now: DateTime = DateTime.now()): string {
  return now.setZone(timezone).startOf('second').toISO({ suppressMilliseconds: true }) ?? now.toUTC().toISO() ?? '';
}
