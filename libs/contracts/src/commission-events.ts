import { Type, type Static } from '@sinclair/typebox';
import { defineEvent } from './event-definition';
import { KpiMetricSchema } from './kpi-metrics';
import { commissionKey } from './message-keys';
import { PlanPeriodKey } from './periods';
import { TOPICS } from './topics';
import { Currency, DecimalString, Id, Money, SignedMoney } from './wire-formats';

/**
 * Every delta is one statement line. For each rep and period the sum of `amount` over all deltas
 * equals the statement total, so BI can reconcile by summing the topic. `lineId` is stable: a line
 * that is recalculated is corrected by a new delta, never re-sent with another amount.
 */
const deltaFields = {
  repId: Id,
  periodKey: PlanPeriodKey,
  planId: Id,
  planVersion: Type.Integer({ minimum: 1 }),
  lineId: Id,
  dealId: Type.Optional(Id),
  amount: SignedMoney,
  currency: Currency,
  sourceEventIds: Type.Array(Id, { minItems: 1 }),
  note: Type.Optional(
    Type.String({
      description: 'Why the line is what it is when not obvious, e.g. "no quota for FY2027-Q1".',
    }),
  ),
};

/** The part of a deal's credit that fell in one tier band. */
export const CommissionBand = Type.Object({
  from: DecimalString,
  to: Type.Union([DecimalString, Type.Null()]),
  rate: DecimalString,
  credit: Money,
});
export type CommissionBand = Static<typeof CommissionBand>;

export const CommissionEarnedData = Type.Object({
  ...deltaFields,
  dealId: Id,
  credit: Money,
  bands: Type.Array(CommissionBand, { minItems: 1 }),
});
export type CommissionEarnedData = Static<typeof CommissionEarnedData>;

/**
 * A correction of earlier lines. Known reasons: `retroactive_tier` (the period reached a new band),
 * `recalculated` (a late quota, plan or roster fact changed the period), `activity_voided`.
 * A string rather than an enum so a new reason is not a breaking change.
 */
export const CommissionAdjustedData = Type.Object({ ...deltaFields, reason: Type.String({ minLength: 1 }) });
export type CommissionAdjustedData = Static<typeof CommissionAdjustedData>;

/** A negative amount reverses an earlier award when the metric falls back below the threshold. */
export const SpiffAwardedData = Type.Object({
  ...deltaFields,
  spiffId: Id,
  metric: KpiMetricSchema,
  threshold: DecimalString,
});
export type SpiffAwardedData = Static<typeof SpiffAwardedData>;

/** Negative when the period total exceeds the cap, positive when a later change releases it. */
export const CapAppliedData = Type.Object({ ...deltaFields, cap: Money });
export type CapAppliedData = Static<typeof CapAppliedData>;

export const CommissionClawedBackData = Type.Object({ ...deltaFields, dealId: Id });
export type CommissionClawedBackData = Static<typeof CommissionClawedBackData>;

const byRep = {
  topic: TOPICS.commissions,
  subject: (data: { repId: string }) => data.repId,
  key: (data: { repId: string }, tenantId: string) => commissionKey(tenantId, data.repId),
};

/** Commission ledger delta definitions. */
export const COMMISSION_EVENTS = [
  defineEvent({
    type: 'pacer.commission.earned.v1',
    summary: "A deal's credit earned commission at the bands and rates listed.",
    schema: CommissionEarnedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.adjusted.v1',
    summary: 'Earlier lines of a period were corrected (retroactive tier, recalculation, void).',
    schema: CommissionAdjustedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.spiff_awarded.v1',
    summary: 'A SPIFF was awarded for the period (or reversed, with a negative amount).',
    schema: SpiffAwardedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.cap_applied.v1',
    summary: "The plan's cap limited the period total.",
    schema: CapAppliedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.clawed_back.v1',
    summary: 'A deal cancelled within the clawback window took back its commission.',
    schema: CommissionClawedBackData,
    ...byRep,
  }),
] as const;
