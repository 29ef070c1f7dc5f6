import { KpiInput, KpiInputError } from '../domain/kpi-input';

/**
 * The end of what the KPI service can place. A snapshot states its period's bounds as RFC 3339
 * instants with four-digit years, so every period containing a fact (day … fiscal year, in any
 * zone up to UTC+14 and with any fiscal start month) must end by 9999-12-31: true for every local
 * date up to 9998-12-31, hence this bound with a day of margin for the zone.
 */
export const LAST_PLACEABLE_MS = Date.parse('9998-12-31T00:00:00Z');

/** Throws KpiInputError (so the record is dead-lettered at once) for a fact no period can hold. */
export function assertPlaceable(input: KpiInput): void {
  if (input.type !== 'facts') return;
  const closeDate = input.opportunity?.closeDate;
  // Read at its local midnight, which in a zone up to UTC+14 lies before the last placeable instant.
  if (closeDate && Date.parse(`${closeDate}T00:00:00Z`) >= LAST_PLACEABLE_MS) {
    throw new KpiInputError(`expectedCloseDate ${closeDate} is beyond the last placeable date ${new Date(LAST_PLACEABLE_MS).toISOString().slice(0, 10)}`);
  }
  if (input.opportunity && input.opportunity.occurredMs >= LAST_PLACEABLE_MS) {
    throw new KpiInputError(`occurredAt ${new Date(input.opportunity.occurredMs).toISOString()} is beyond the last placeable instant`);
  }
  for (const row of input.rows) {
    for (const [field, ms] of [
      ['occurredAt', row.occurredMs],
      ['openedAt', row.openedMs],
    ] as const) {
      if (ms !== null && ms >= LAST_PLACEABLE_MS) {
        throw new KpiInputError(`${field} ${new Date(ms).toISOString()} is beyond the last placeable instant ${new Date(LAST_PLACEABLE_MS).toISOString()}`);
      }
    }
  }
}
