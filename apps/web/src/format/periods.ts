import { DateTime } from 'luxon';
import { periodContaining, type CalendarPeriodType, type TenantCalendar } from '@pacer/sales-domain';
import { intlLocale } from './locale';

/**
 * The key of the tenant-calendar period containing `now` (`2026-W48`, `2026-11`, `FY2027-Q1`):
 * the KPI API asks for a key, and the calendar rules live once, in @pacer/sales-domain.
 */
export function currentPeriodKey(type: CalendarPeriodType, calendar: TenantCalendar, now: DateTime = DateTime.now()): string {
  return periodContaining(type, now.toUTC().toISO() ?? '', calendar).key;
}

/** The window of the current period and the `count - 1` before it, oldest first (for trend charts). */
export function recentPeriods(
  type: CalendarPeriodType,
  count: number,
  calendar: TenantCalendar,
  now: DateTime = DateTime.now(),
): { key: string; start: string; end: string }[] {
  const out: { key: string; start: string; end: string }[] = [];
  let instant = now.toUTC().toISO() ?? '';
  for (let i = 0; i < count; i += 1) {
    const p = periodContaining(type, instant, calendar);
    out.unshift({ key: p.key, start: p.start, end: p.end });
    instant = DateTime.fromISO(p.start, { setZone: true }).minus({ milliseconds: 1 }).toUTC().toISO() ?? '';
  }
  return out;
}

/** A period key as people say it: "W48 2026", "FY2027 Q1"; months by name in the reader's language. */
export function formatPeriodKey(key: string, language: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) {
    const dt = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone: 'UTC' });
    return dt.setLocale(intlLocale(language)).toFormat('LLLL yyyy');
  }
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return `${language === 'nb' ? 'Uke' : 'W'}${language === 'nb' ? ' ' : ''}${Number(week[2])} ${week[1]}`;
  return key.replace('-', ' ');
}
