import { Decimal } from 'decimal.js';
import { KPI_METRIC_VALUE_KINDS, KPI_METRICS, KpiMetric } from '@pacer/contracts';
import { FieldProblem } from '../sprint-planning.error';
import { isMoneyMetric, targetValue } from './sprint-metrics';
import { Targets } from './sprint.events';

function isKpiMetric(name: string): name is KpiMetric {
  return (KPI_METRICS as readonly string[]).includes(name);
}

// A plain decimal: no exponent, sign, thousands separators or surrounding blanks, so "20000.00" is the
// only way to write twenty thousand and a stray "1e5" from a spreadsheet does not slip through.
const DECIMAL_STRING = /^\d+(\.\d+)?$/;

/**
 * Checks a targets object: keys are KPI metric names (SPEC §5), each value in its metric's own
 * representation (SPEC §4) — money a non-negative decimal string with at most two fraction digits,
 * counts a whole number, ratios a non-negative number. Money comes back as a two-decimal string.
 */
export function parseTargets(
  raw: Record<string, unknown>,
  path = 'targets',
): { targets: Targets; problems: FieldProblem[] } {
  const targets: Targets = {};
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const at = `${path}.${name}`;
    if (!isKpiMetric(name)) {
      problems.push({
        path: at,
        message: `${name} is not a KPI metric; use one of ${KPI_METRICS.join(', ')}`,
      });
      continue;
    }
    if (isMoneyMetric(name)) {
      if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
        problems.push({ path: at, message: `${name} is money: a decimal string >= 0 such as "20000.00"` });
        continue;
      }
      if (new Decimal(value).decimalPlaces() > 2) {
        problems.push({ path: at, message: `${name} is money; the target takes at most 2 fraction digits` });
        continue;
      }
      targets[name] = targetValue(name, value);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push({ path: at, message: 'must be a number >= 0' });
      continue;
    }
    if (KPI_METRIC_VALUE_KINDS[name] === 'count' && !Number.isInteger(value)) {
      problems.push({ path: at, message: `${name} is a count; the target must be a whole number` });
      continue;
    }
    targets[name] = value;
  }
  return { targets, problems };
}

/**
 * Targets in KPI_METRICS order and in each metric's wire form, so equal targets serialise identically
 * and money stored as a number by earlier versions reads as a decimal string.
 */
export function orderedTargets(targets: Targets): Targets {
  const out: Targets = {};
  for (const metric of KPI_METRICS) {
    const value = targets[metric];
    if (value !== undefined) out[metric] = targetValue(metric, value);
  }
  return out;
}

/** Targets as plain numbers, for the v1 events whose schema BI already reads as numbers. */
export function numericTargets(targets: Targets): Partial<Record<KpiMetric, number>> {
  const out: Partial<Record<KpiMetric, number>> = {};
  for (const metric of KPI_METRICS) {
    const value = targets[metric];
    if (value !== undefined) out[metric] = new Decimal(value).toNumber();
  }
  return out;
}
