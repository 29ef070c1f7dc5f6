import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_CALENDAR, type TenantCalendar } from '@pacer/sales-domain';
import { useSettings } from '../api/sprint-planning';
import type { KpiMetric } from '../api/types';
import { formatDate, formatDateTime, formatDayShort, formatPeriodRange } from '../format/dates';
import { formatMetric } from '../format/metrics';
import { formatMoney } from '../format/money';
import { formatCount, formatNumber, formatPercent } from '../format/numbers';
import { formatPeriodKey } from '../format/periods';

/** The currency amounts are shown in when a screen has none of its own (KPIs sum amounts as given). */
export const DEFAULT_CURRENCY = 'USD';

/**
 * Formatters bound to the reader's language and the tenant's calendar: screens format every number
 * and date through this, so the zone and locale are decided in one place.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const settings = useSettings();
  const language = i18n.resolvedLanguage ?? i18n.language ?? 'en';
  const data = settings.data;
  const calendar: TenantCalendar = useMemo(
    () => (data ? { timezone: data.timezone, weekStartsOn: data.weekStartsOn, fiscalYearStartMonth: data.fiscalYearStartMonth } : { ...DEFAULT_CALENDAR }),
    [data],
  );
  const tz = calendar.timezone;
  // A display token may not read the settings: it then formats in UTC rather than waiting forever.
  const ready = settings.isSuccess || settings.isError;
  return useMemo(
    () => ({
      language,
      calendar,
      ready,
      money: (amount: string | null | undefined, currency = DEFAULT_CURRENCY) => formatMoney(amount, currency, language),
      moneyCompact: (amount: string | null | undefined, currency = DEFAULT_CURRENCY) => formatMoney(amount, currency, language, { compact: true }),
      count: (n: number | null | undefined) => formatCount(n, language),
      number: (n: number | null | undefined, digits = 1) => formatNumber(n, language, digits),
      percent: (r: number | string | null | undefined) => formatPercent(r, language),
      metric: (m: KpiMetric, v: unknown, currency = DEFAULT_CURRENCY) => formatMetric(m, v, language, currency),
      dateTime: (instant: string | null | undefined) => formatDateTime(instant, tz, language),
      date: (d: string | null | undefined) => formatDate(d, language),
      day: (d: string) => formatDayShort(d, language),
      range: (start: string, end: string) => formatPeriodRange(start, end, tz, language),
      periodKey: (key: string) => formatPeriodKey(key, language),
    }),
    [language, tz, calendar, ready],
  );
}
