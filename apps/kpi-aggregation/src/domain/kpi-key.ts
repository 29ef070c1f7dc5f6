import { CALENDAR_PERIOD_TYPES, CalendarPeriodType } from '@pacer/sales-domain';
import { kpiKey, KpiScope, PeriodType } from '@pacer/contracts';

/** One KPI snapshot's identity within a tenant: scope, scope id and period. */
export interface KpiKeyRef {
  scope: KpiScope;
  scopeId: string;
  periodType: PeriodType;
  periodKey: string;
}

/** The snapshot's Kafka key (SPEC §2), also its id in every table. */
export function keyIdOf(tenantId: string, ref: KpiKeyRef): string {
  return kpiKey(tenantId, ref.scope, ref.scopeId, ref.periodType, ref.periodKey);
}

/** A cheap in-memory identity for maps (the Kafka key escapes characters and costs more to build). */
export function refId(ref: KpiKeyRef): string {
  return `${ref.scope}\u0000${ref.scopeId}\u0000${ref.periodType}\u0000${ref.periodKey}`;
}

export function isCalendarPeriod(type: PeriodType): type is CalendarPeriodType {
  return type !== 'sprint';
}

export const CALENDAR_TYPES: readonly CalendarPeriodType[] = CALENDAR_PERIOD_TYPES;

/** Period types a quota exists for (SPEC §5: month, fiscal quarter and year). */
export function isQuotaPeriod(type: PeriodType): boolean {
  return type === 'month' || type === 'quarter' || type === 'year';
}
