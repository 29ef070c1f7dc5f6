import { DateTime } from 'luxon';
import { instantMillis, parseInstant } from '@pacer/sales-domain';
import type { DealFact } from './statement.types';

// Deals are ordered and windowed at millisecond precision, by the one instant rule of sales-domain.
export { instantMillis };

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Deals in the SPEC's `(occurredAt, dealId)` order (the activity id breaks a tie between two records
 * of one deal). Keys are computed once: statements can hold ten thousand deals.
 */
export function sortDeals<T extends DealFact>(deals: readonly T[]): T[] {
  const keyed = deals.map((deal) => ({ deal, at: instantMillis(deal.occurredAt) }));
  keyed.sort(
    (a, b) =>
      a.at - b.at ||
      byCodePoint(a.deal.dealId, b.deal.dealId) ||
      byCodePoint(a.deal.activityId, b.deal.activityId),
  );
  return keyed.map((k) => k.deal);
}

/** Whether a cancellation falls within `days` calendar days (in the tenant zone) of the win, inclusive. */
export function withinClawbackWindow(
  wonAt: string,
  cancelledAt: string,
  days: number,
  timezone: string,
): boolean {
  const limit = parseInstant(wonAt).setZone(timezone).plus({ days });
  return parseInstant(cancelledAt).toMillis() <= limit.toMillis();
}

/** Whole days from the win to the cancellation, for notes. */
export function daysBetween(from: string, to: string): number {
  const diff = parseInstant(to).diff(parseInstant(from), 'days').days;
  return Math.floor(diff);
}

export function localDate(instant: string, timezone: string): string {
  return DateTime.fromMillis(instantMillis(instant), { zone: timezone }).toISODate() ?? instant;
}
