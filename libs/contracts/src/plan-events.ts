import { Type, type Static } from '@sinclair/typebox';
import { Decimal } from 'decimal.js';
import { defineEvent, type ContractProblem } from './event-definition';
import { KpiMetricSchema } from './kpi-metrics';
import { planKey, planRepKey } from './message-keys';
import { PlanPeriodKey, PlanPeriodSchema } from './periods';
import { TOPICS } from './topics';
import { Currency, DecimalString, Id, LocalDate, Money, StringEnum } from './wire-formats';

export const TIER_MODES = ['graduated', 'retroactive'] as const;
export type TierMode = (typeof TIER_MODES)[number];
export const TierModeSchema = StringEnum(TIER_MODES);

/** A band of attainment `[from, next.from)` and the rate credit in it earns. */
export const PlanTier = Type.Object({ from: DecimalString, rate: DecimalString });
export type PlanTier = Static<typeof PlanTier>;

export const PlanSpiff = Type.Object({
  id: Id,
  metric: KpiMetricSchema,
  threshold: DecimalString,
  amount: Money,
});
export type PlanSpiff = Static<typeof PlanSpiff>;

/** The body of a comp plan version exactly as `PUT /v1/plans/{planId}` takes it (SPEC §6). */
export const PlanBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  currency: Currency,
  period: PlanPeriodSchema,
  tiers: Type.Array(PlanTier, { minItems: 1, maxItems: 100 }),
  tierMode: TierModeSchema,
  cap: Type.Union([Money, Type.Null()]),
  spiffs: Type.Array(PlanSpiff, { maxItems: 100 }),
  clawbackDays: Type.Integer({ minimum: 0 }),
  effectiveFrom: LocalDate,
});
export type PlanBody = Static<typeof PlanBody>;

export const PlanVersionCreatedData = Type.Object({
  planId: Id,
  version: Type.Integer({ minimum: 1 }),
  ...PlanBody.properties,
});
export type PlanVersionCreatedData = Static<typeof PlanVersionCreatedData>;

export const PlanAssignedData = Type.Object({ repId: Id, planId: Id, effectiveFrom: LocalDate });
export type PlanAssignedData = Static<typeof PlanAssignedData>;

// The amount is in the currency of the rep's plan for that period; a quota has no currency of its own.
export const QuotaSetData = Type.Object({ repId: Id, periodKey: PlanPeriodKey, amount: Money });
export type QuotaSetData = Static<typeof QuotaSetData>;

/** Cross-field rules of a plan body that tier maths relies on (for DTOs as well as for events). */
export function planBodyProblem(plan: PlanBody): ContractProblem | undefined {
  if (!new Decimal(plan.tiers[0].from).isZero()) {
    return { path: '/tiers/0/from', message: 'the first tier must start at 0' };
  }
  for (let i = 1; i < plan.tiers.length; i += 1) {
    if (!new Decimal(plan.tiers[i].from).greaterThan(plan.tiers[i - 1].from)) {
      return { path: `/tiers/${i}/from`, message: 'tiers must be in strictly increasing order of from' };
    }
  }
  const seen = new Set<string>();
  for (const [i, spiff] of plan.spiffs.entries()) {
    if (seen.has(spiff.id)) return { path: `/spiffs/${i}/id`, message: 'must be unique within the plan' };
    seen.add(spiff.id);
  }
  return undefined;
}

const byRep = {
  topic: TOPICS.plans,
  subject: (data: { repId: string }) => data.repId,
  key: (data: { repId: string }, tenantId: string) => planRepKey(tenantId, data.repId),
};

/** Plan event definitions: plan versions, assignments and quotas. */
export const PLAN_EVENTS = [
  defineEvent({
    type: 'pacer.plan.version_created.v1',
    topic: TOPICS.plans,
    summary: 'A new version of a comp plan was created; versions are immutable and effective-dated.',
    schema: PlanVersionCreatedData,
    subject: (data) => data.planId,
    key: (data, tenantId) => planKey(tenantId, data.planId),
    check: planBodyProblem,
  }),
  defineEvent({
    type: 'pacer.plan.assigned.v1',
    summary: 'A rep was put on a plan from effectiveFrom (a date in the tenant calendar).',
    schema: PlanAssignedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.plan.quota_set.v1',
    summary: "A rep's quota for one month, fiscal quarter or fiscal year was set, replacing any earlier one.",
    schema: QuotaSetData,
    ...byRep,
  }),
] as const;
