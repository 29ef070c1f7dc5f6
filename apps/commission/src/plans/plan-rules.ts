import { KPI_METRICS, PlanBody, planBodyProblem } from '@pacer/contracts';
import type { FieldError } from '@pacer/http';
import { isCalendarDate, isIsoCurrency } from '@pacer/sales-domain';
import { Dec } from '../calculation/decimal';
import { isSpiffMetric, SPIFF_METRICS } from '../calculation/spiff-metrics';

function dotted(pointer: string): string {
  return pointer.replace(/^\//, '').replace(/\//g, '.');
}

/**
 * The rules of a plan body beyond its shape (which the DTO checks): the contract's cross-field rules
 * (tiers start at 0 and increase, SPIFF ids unique), rates in [0, 1], a SPIFF metric that exists and
 * that commission computes, a real ISO 4217 currency and a real date. Paths are dotted, as in every
 * Pacer validation error.
 */
export function planRuleProblems(body: PlanBody): FieldError[] {
  const problems: FieldError[] = [];
  if (!isIsoCurrency(body.currency)) {
    problems.push({ path: 'currency', message: `${body.currency} is not an ISO 4217 currency code` });
  }
  if (!isCalendarDate(body.effectiveFrom)) {
    problems.push({ path: 'effectiveFrom', message: `${body.effectiveFrom} is not a calendar date` });
  }
  body.tiers.forEach((tier, i) => {
    if (new Dec(tier.rate).greaterThan(1))
      problems.push({ path: `tiers.${i}.rate`, message: 'must be between 0 and 1' });
  });
  body.spiffs.forEach((spiff, i) => {
    const metric: string = spiff.metric;
    if (!(KPI_METRICS as readonly string[]).includes(metric)) {
      problems.push({
        path: `spiffs.${i}.metric`,
        message: `${metric} is not a KPI metric (one of ${KPI_METRICS.join(', ')})`,
      });
    } else if (!isSpiffMetric(metric)) {
      problems.push({
        path: `spiffs.${i}.metric`,
        message: `SPIFFs on ${metric} are not supported: commission computes ${SPIFF_METRICS.join(', ')} from the rep's credited deals`,
      });
    }
  });
  const contract = planBodyProblem(body);
  if (contract !== undefined) problems.push({ path: dotted(contract.path), message: contract.message });
  return problems;
}
