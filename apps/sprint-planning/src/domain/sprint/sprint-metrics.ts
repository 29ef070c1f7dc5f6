import { Decimal } from 'decimal.js';
import { KPI_METRIC_VALUE_KINDS, KPI_METRICS, KpiMetric, KpiMetrics } from '@pacer/contracts';
import { formatMoney } from '@pacer/sales-domain';

export type MetricValue = number | string | null;

/**
 * Counts and money add up over days and reps; ratios, averages and quota do not (a day's connect
 * rate summed over a week is meaningless), so burnup and team sums use only these.
 */
export function isAdditiveMetric(metric: KpiMetric): boolean {
  const kind = KPI_METRIC_VALUE_KINDS[metric];
  return kind === 'count' || kind === 'money';
}

export function isMoneyMetric(metric: KpiMetric): boolean {
  const kind = KPI_METRIC_VALUE_KINDS[metric];
  return kind === 'money' || kind === 'moneyOrNull';
}

/** What the board shows before the KPI service published anything: zero counts and money, no ratios. */
export function zeroMetrics(): KpiMetrics {
  const out: Record<string, MetricValue> = {};
  for (const metric of KPI_METRICS) {
    const kind = KPI_METRIC_VALUE_KINDS[metric];
    out[metric] = kind === 'count' ? 0 : kind === 'money' ? formatMoney(0) : null;
  }
  return out as KpiMetrics;
}

/** A metric value as a number (money strings are exact decimals; as a number only for ratios and reports). */
export function metricNumber(value: MetricValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : new Decimal(value).toNumber();
}

/**
 * actual / target, or null when the target is 0 or there is no actual (SPEC §5 null ratios). A
 * negative actual (only `avgSalesCycleDays` can be one: bad data) has no meaningful progress: null.
 * Computed on decimals: money actuals and targets are decimal strings and must not round through floats.
 */
export function progressRatio(actual: MetricValue | undefined, target: number | string): number | null {
  const divisor = new Decimal(target);
  if (divisor.isZero() || actual === null || actual === undefined) return null;
  const value = new Decimal(actual);
  if (value.isNegative()) return null;
  return value.dividedBy(divisor).toNumber();
}

/**
 * A target in its metric's wire form: money a two-decimal string, everything else a number. Commitments
 * stored before targets kept their representation hold money as numbers; reading them through this
 * gives every consumer one form.
 */
export function targetValue(metric: KpiMetric, value: number | string): number | string {
  return isMoneyMetric(metric) ? formatMoney(value) : new Decimal(value).toNumber();
}

/** Mean of values in the metric's wire form (money rounded half-up to cents), or null for none. */
export function meanMetric(metric: KpiMetric, values: readonly (number | string)[]): number | string | null {
  if (values.length === 0) return null;
  const mean = values.reduce((acc: Decimal, v) => acc.plus(new Decimal(v)), new Decimal(0)).dividedBy(values.length);
  return isMoneyMetric(metric) ? formatMoney(mean) : mean.toNumber();
}

/** Sums additive values exactly: money stays a two-decimal string, counts stay integers. */
export function addMetric(
  metric: KpiMetric,
  a: MetricValue | undefined,
  b: MetricValue | undefined,
): number | string {
  const sum = new Decimal(a ?? 0).plus(new Decimal(b ?? 0));
  return isMoneyMetric(metric) ? formatMoney(sum) : sum.toNumber();
}

/** The zero of an additive metric in its wire form. */
export function zeroOf(metric: KpiMetric): number | string {
  return isMoneyMetric(metric) ? formatMoney(0) : 0;
}
