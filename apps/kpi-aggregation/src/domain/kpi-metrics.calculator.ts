import { Decimal } from 'decimal.js';
import { KPI_METRICS, KpiMetrics } from '@pacer/contracts';
import { formatMoney, moneyPer, ratio } from '@pacer/sales-domain';
import { KpiTally } from './kpi-tally';
import { PROBABILITY_SCALE } from './opportunity-forecast';

const DAY_MS = 86_400_000;

export function centsToDecimal(cents: bigint): Decimal {
  return new Decimal(cents.toString()).dividedBy(100);
}

/** A money string (at most two fraction digits) in cents; throws on anything else. */
export function moneyToCents(amount: string): bigint {
  const d = new Decimal(amount).times(100);
  if (!d.isInteger()) throw new RangeError(`not a money amount with at most 2 fraction digits: ${amount}`);
  return BigInt(d.toFixed(0));
}

/** Cents × probability millionths, rounded half-up to whole cents (never negative: amounts and probabilities are not). */
export function weightedCents(units: bigint): bigint {
  return (units + PROBABILITY_SCALE / 2n) / PROBABILITY_SCALE;
}

/** The SPEC §5 metrics of a tally and its quota: exact money, null ratios on a zero denominator. */
export function deriveMetrics(t: KpiTally, quotaCents: bigint | null): KpiMetrics {
  const revenue = centsToDecimal(t.revenueCents);
  const quota = quotaCents === null ? null : centsToDecimal(quotaCents);
  // Rounded once per key (SPEC §5), and coverage reads the published figure so BI can recompute it.
  const weighted = centsToDecimal(weightedCents(t.forecastWeightedUnits));
  return {
    calls: t.calls,
    connects: t.connects,
    connectRate: ratio(t.connects, t.calls),
    emails: t.emails,
    meetingsScheduled: t.meetingsScheduled,
    meetingsHeld: t.meetingsHeld,
    leadsCreated: t.leadsCreated,
    opportunitiesCreated: t.opportunitiesCreated,
    pipelineCreated: formatMoney(centsToDecimal(t.pipelineCents)),
    dealsWon: t.dealsWon,
    dealsLost: t.dealsLost,
    revenueWon: formatMoney(revenue),
    winRate: ratio(t.dealsWon, t.dealsWon + t.dealsLost),
    avgDealSize: moneyPer(revenue, t.dealsWon),
    // Exact sum of milliseconds divided once: the mean does not depend on the order deals were added.
    avgSalesCycleDays: t.cycleCount === 0 ? null : ratio(t.cycleMsSum.toString(), new Decimal(t.cycleCount).times(DAY_MS)),
    quota: quota === null ? null : formatMoney(quota),
    quotaAttainment: quota === null ? null : ratio(revenue, quota),
    callsPerMeeting: ratio(t.calls, t.meetingsHeld),
    revenuePerActivity: moneyPer(revenue, t.calls + t.emails + t.meetingsHeld),
    forecastPipeline: formatMoney(centsToDecimal(t.forecastPipelineCents)),
    forecastWeighted: formatMoney(weighted),
    forecastCoverage: quota === null ? null : ratio(revenue.plus(weighted), quota),
  };
}

export function metricsEqual(a: KpiMetrics, b: KpiMetrics): boolean {
  return KPI_METRICS.every((m) => a[m] === b[m]);
}
