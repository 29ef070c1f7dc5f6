import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_SETTINGS } from '@pacer/contracts';
import type { TenantCalendar } from '@pacer/sales-domain';

// tenant_calendars: each tenant's calendar settings as the roster last published them.

export async function loadCalendars(
  manager: EntityManager,
  tenantIds: readonly string[],
): Promise<Map<string, TenantCalendar>> {
  const rows = (await manager.query(
    `SELECT tenant_id, timezone, week_starts_on, fiscal_year_start_month FROM tenant_calendars WHERE tenant_id = ANY($1::text[])`,
    [[...tenantIds]],
  )) as { tenant_id: string; timezone: string; week_starts_on: number; fiscal_year_start_month: number }[];
  const out = new Map<string, TenantCalendar>();
  for (const t of tenantIds) out.set(t, { ...DEFAULT_TENANT_SETTINGS });
  for (const r of rows) {
    out.set(r.tenant_id, {
      timezone: r.timezone,
      weekStartsOn: r.week_starts_on,
      fiscalYearStartMonth: r.fiscal_year_start_month,
    });
  }
  return out;
}
