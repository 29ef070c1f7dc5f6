import { Decimal } from 'decimal.js';
import { KPI_METRIC_VALUE_KINDS, KPI_METRICS, KpiMetric } from '@pacer/contracts';
import { FieldProblem } from '../sprint-planning.error';
import { Targets } from './sprint.events';

function isKpiMetric(name: string): name is KpiMetric {
  return (KPI_METRICS as readonly string[]).includes(name);
}

/**
 * Checks a targets object: keys are KPI metric names (SPEC §5), values non-negative finite numbers;
 * count metrics take whole numbers and money metrics at most two fraction digits.
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
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push({ path: at, message: 'must be a number >= 0' });
      continue;
    }
    const kind = KPI_METRIC_VALUE_KINDS[name];
    if (kind === 'count' && !Number.isInteger(value)) {
      problems.push({ path: at, message: `${name} is a count; the target must be a whole number` });
      continue;
    }
    if ((kind === 'money' || kind === 'moneyOrNull') && new Decimal(value).decimalPlaces() > 2) {
      problems.push({ path: at, message: `${name} is money; the target takes at most 2 fraction digits` });
      continue;
    }
    targets[name] = value;
  }
  return { targets, problems };
}

/** Targets in KPI_METRICS order, so equal targets serialise identically. */
export function orderedTargets(targets: Targets): Targets {
  const out: Targets = {};
  for (const metric of KPI_METRICS) {
    const value = targets[metric];
    if (value !== undefined) out[metric] = value;
  }
  return out;
}
