import { Type } from '@sinclair/typebox';
import { StringEnum } from './wire-formats';

/** KPI period types (SPEC §5). */
export const PERIOD_TYPES = ['day', 'week', 'month', 'quarter', 'year', 'sprint'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const PeriodTypeSchema = StringEnum(PERIOD_TYPES);

/** The periods a comp plan and a quota can be set for (fiscal quarter and year, calendar month). */
export const PLAN_PERIODS = ['month', 'quarter', 'year'] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];
export const PlanPeriodSchema = StringEnum(PLAN_PERIODS);

/**
 * Period key formats by type. Sprint keys are sprint ids and have no format of their own. Weeks are
 * numbered ISO-style in the tenant's week; fiscal years are named by the calendar year they end in.
 */
export const PERIOD_KEY_PATTERNS: Readonly<Record<Exclude<PeriodType, 'sprint'>, string>> = {
  day: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  week: '^\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])$',
  month: '^\\d{4}-(0[1-9]|1[0-2])$',
  quarter: '^FY\\d{4}-Q[1-4]$',
  year: '^FY\\d{4}$',
};

const PLAN_PERIOD_KEY_PATTERN = `^(${PLAN_PERIODS.map((p) => PERIOD_KEY_PATTERNS[p].slice(1, -1)).join('|')})$`;

/** A month (`2026-11`), fiscal quarter (`FY2027-Q1`) or fiscal year (`FY2027`) key. */
export const PlanPeriodKey = Type.String({ pattern: PLAN_PERIOD_KEY_PATTERN });

/** Whether `key` is spelled as a key of `type` (any non-empty key is a valid sprint key). */
export function isPeriodKeyOf(type: PeriodType, key: string): boolean {
  if (type === 'sprint') return key.length > 0;
  return new RegExp(PERIOD_KEY_PATTERNS[type]).test(key);
}

/** The plan period a month/quarter/year key names, or undefined for any other string. */
export function planPeriodOfKey(key: string): PlanPeriod | undefined {
  return PLAN_PERIODS.find((p) => isPeriodKeyOf(p, key));
}
