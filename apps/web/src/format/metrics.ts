import type { KpiMetric } from '@pacer/contracts';
import { formatMoney } from './money';
import { formatCount, formatNumber, formatPercent } from './numbers';

/** How a metric reads: the KPI contract's value kinds, seen from the screen. */
export type MetricDisplay = 'count' | 'money' | 'percent' | 'number';

// Typed against the contract's metric union, so a new metric fails the build until it has a display.
export const METRIC_DISPLAY: Readonly<Record<KpiMetric, MetricDisplay>> = {
  calls: 'count',
  connects: 'count',
  connectRate: 'percent',
  emails: 'count',
  meetingsScheduled: 'count',
  meetingsHeld: 'count',
  leadsCreated: 'count',
  opportunitiesCreated: 'count',
  pipelineCreated: 'money',
  dealsWon: 'count',
  dealsLost: 'count',
  revenueWon: 'money',
  winRate: 'percent',
  avgDealSize: 'money',
  avgSalesCycleDays: 'number',
  quota: 'money',
  quotaAttainment: 'percent',
  callsPerMeeting: 'number',
  revenuePerActivity: 'money',
  forecastPipeline: 'money',
  forecastWeighted: 'money',
  forecastCoverage: 'percent',
};

export const KPI_METRIC_NAMES = Object.keys(METRIC_DISPLAY) as KpiMetric[];

export function isKpiMetric(name: string): name is KpiMetric {
  return Object.prototype.hasOwnProperty.call(METRIC_DISPLAY, name);
}

// Money metrics that are not sums over the period's days: a ratio (avgDealSize, revenuePerActivity),
// a level set per period (quota) or the state of open deals now (the forecasts).
const NOT_ADDITIVE: ReadonlySet<KpiMetric> = new Set<KpiMetric>(['quota', 'avgDealSize', 'revenuePerActivity', 'forecastPipeline', 'forecastWeighted']);

/** Metrics a sprint can target and a burnup can add up (counts and money). */
export function isAdditive(metric: KpiMetric): boolean {
  const d = METRIC_DISPLAY[metric];
  return (d === 'count' || d === 'money') && !NOT_ADDITIVE.has(metric);
}

/** Any metric value of the API (count, decimal string, ratio or null) in the reader's locale. */
export function formatMetric(metric: KpiMetric, value: unknown, language: string, currency: string): string {
  if (value === null || value === undefined) return '—';
  switch (METRIC_DISPLAY[metric]) {
    case 'money':
      return formatMoney(String(value), currency, language);
    case 'percent':
      return formatPercent(typeof value === 'string' ? value : Number(value), language);
    case 'count':
      return formatCount(Number(value), language);
    case 'number':
      return formatNumber(Number(value), language, 1);
  }
}

/** A metric value as a chart number (money strings included). */
export function metricForChart(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
