import type { PlanBody } from '@pacer/contracts';
import type { DealFact, PlanVersion, StatementInput } from '../src/calculation/statement.types';

/** The SPEC §6 example plan. */
export const AE_2026: PlanBody = {
  name: 'AE 2026',
  currency: 'USD',
  period: 'quarter',
  tiers: [
    { from: '0', rate: '0.05' },
    { from: '1.00', rate: '0.08' },
    { from: '1.50', rate: '0.10' },
  ],
  tierMode: 'graduated',
  cap: null,
  spiffs: [{ id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' }],
  clawbackDays: 90,
  effectiveFrom: '2026-01-01',
};

export function planVersion(overrides: Partial<PlanBody> = {}, version = 1, planId = 'ae'): PlanVersion {
  return { planId, version, eventId: `plan-${planId}-v${version}`, body: { ...AE_2026, ...overrides } };
}

let day = 0;

/** A deal credited wholly to rep r1; `at` defaults to successive days of January 2026. */
export function deal(dealId: string, credit: string, extra: Partial<DealFact> = {}): DealFact {
  day += 1;
  const at = extra.occurredAt ?? `2026-01-${String(((day - 1) % 28) + 1).padStart(2, '0')}T10:00:00Z`;
  return {
    activityId: `act-${dealId}`,
    dealId,
    wonEventId: `won-${dealId}`,
    occurredAt: at,
    primaryRepId: 'r1',
    amount: credit,
    share: '1',
    credit,
    currency: 'USD',
    ...extra,
  };
}

export function statementInput(
  deals: DealFact[],
  options: { plan?: PlanVersion; quota?: string | null; periodKey?: string } = {},
): StatementInput {
  const quota = options.quota === undefined ? '100000.00' : options.quota;
  return {
    repId: 'r1',
    periodKey: options.periodKey ?? 'FY2026-Q1',
    window: { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', truncated: false },
    plan: options.plan ?? planVersion(),
    quota: quota === null ? null : { amount: quota, eventId: 'quota-r1-FY2026-Q1' },
    deals,
    timezone: 'UTC',
  };
}

/** The amounts of the lines of one kind, by line id. */
export function amounts(lines: { lineId: string; amount: string }[]): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [l.lineId, l.amount]));
}
