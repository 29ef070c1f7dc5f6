import type { KpiMetric } from '@pacer/contracts';

/**
 * The SPIFF metrics commission computes from its own facts (the rep's credited deals of the period).
 * Each only grows as deals are added, so "the deal at which the SPIFF was reached" is well defined.
 * A plan naming any other KPI metric is rejected at validation rather than silently never paying.
 */
export const SPIFF_METRICS = [
  'quotaAttainment',
  'revenueWon',
  'dealsWon',
] as const satisfies readonly KpiMetric[];
export type SpiffMetric = (typeof SPIFF_METRICS)[number];

export function isSpiffMetric(metric: string): metric is SpiffMetric {
  return (SPIFF_METRICS as readonly string[]).includes(metric);
}
