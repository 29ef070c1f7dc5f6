import { DEFAULT_CALENDAR, TenantCalendar } from '@pacer/sales-domain';
import { Versioned } from './latest-wins';

/** The tenant calendar from the newest `settings_updated` event. */
export interface SettingsRecord extends Versioned {
  calendar: TenantCalendar;
}

export function calendarOf(settings: SettingsRecord | undefined): TenantCalendar {
  return settings?.calendar ?? DEFAULT_CALENDAR;
}

export function sameCalendar(a: TenantCalendar, b: TenantCalendar): boolean {
  return a.timezone === b.timezone && a.weekStartsOn === b.weekStartsOn && a.fiscalYearStartMonth === b.fiscalYearStartMonth;
}
