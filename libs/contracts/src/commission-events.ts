import { Type, type Static } from '@sinclair/typebox';
import { defineEvent } from './event-definition';
import { KpiMetricSchema } from './kpi-metrics';
import { commissionKey } from './message-keys';
import { PlanPeriodKey } from './periods';
import { TOPICS } from './topics';
import { Currency, DecimalString, FreeText, Id, Instant, Money, SignedMoney } from './wire-formats';

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

/**
 * A change to a closed period's statement, booked in the rep's open period containing the time it
 * was recorded (`periodKey` is that open period; the delta counts toward its statement total).
 * `closedPeriodKey` names the frozen statement the change belongs to; `sourceEventIds` cite the cause
 * (late deal, void, cancellation, plan or quota change). `reason` says which ledger line of the closed
 * statement the amount corrects in words (`recalculated`, `activity_voided`, `clawback`, ...).
 */
export const PriorPeriodAdjustedData = Type.Object({
  ...deltaFields,
  closedPeriodKey: PlanPeriodKey,
  appliesTo: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'The line of the closed statement the amount corrects.',
  }),
  reason: Type.String({ minLength: 1 }),
});
export type PriorPeriodAdjustedData = Static<typeof PriorPeriodAdjustedData>;

/**
 * An amount an admin posted by hand, with the reason. `sourceEventIds` cite the command's audit
 * event (and, from a dispute resolution, the dispute's events); `disputeId` when it resolves one.
 */
export const ManuallyAdjustedData = Type.Object({
  ...deltaFields,
  reason: FreeText,
  adjustedBy: Id,
  disputeId: Type.Optional(Id),
});
export type ManuallyAdjustedData = Static<typeof ManuallyAdjustedData>;

const NOT_A_DELTA =
  ' Not a ledger delta: it carries no `amount` and is excluded from the delta sum of a statement.';

/** Which statement version an approval or a period's close/payment is about, and its total. */
const STATEMENT_VERSION_FIELDS = {
  repId: Id,
  periodKey: PlanPeriodKey,
  statementId: Id,
  statementVersion: Type.Integer({ minimum: 1 }),
  currency: Currency,
  total: SignedMoney,
};

export const StatementApprovedData = Type.Object(
  {
    ...STATEMENT_VERSION_FIELDS,
    approvedBy: Id,
  },
  { description: `A statement version was approved for payment.${NOT_A_DELTA}` },
);
export type StatementApprovedData = Static<typeof StatementApprovedData>;

export const CommissionPayoutData = Type.Object(
  {
    repId: Id,
    periodKey: PlanPeriodKey,
    currency: Currency,
    total: SignedMoney,
    statementId: Id,
    statementVersion: Type.Integer({ minimum: 1 }),
  },
  { description: `A closed period's approved statement was paid out (one per rep and currency).${NOT_A_DELTA}` },
);
export type CommissionPayoutData = Static<typeof CommissionPayoutData>;

export const DealPendingApprovalData = Type.Object(
  {
    dealId: Id,
    repId: Id,
    amount: Money,
    currency: Currency,
    occurredAt: Instant,
    activityId: Id,
    activityEventId: Id,
  },
  {
    description: `A deal a rep recorded themselves pays nothing until their manager or an admin approves it (tenant setting dealsRequireApproval).${NOT_A_DELTA}`,
  },
);
export type DealPendingApprovalData = Static<typeof DealPendingApprovalData>;

export const DealDecidedData = Type.Object(
  {
    dealId: Id,
    repId: Id,
    decidedBy: Id,
    reason: Type.Optional(FreeText),
  },
  { description: `A pending deal was approved (it pays from now) or rejected (it never pays).${NOT_A_DELTA}` },
);
export type DealDecidedData = Static<typeof DealDecidedData>;

export const DisputeOpenedData = Type.Object(
  { disputeId: Id, repId: Id, periodKey: PlanPeriodKey, lineId: Id, comment: FreeText },
  { description: `A rep disputed a line of their statement.${NOT_A_DELTA}` },
);
export type DisputeOpenedData = Static<typeof DisputeOpenedData>;

export const DisputeResolvedData = Type.Object(
  {
    disputeId: Id,
    repId: Id,
    periodKey: PlanPeriodKey,
    resolution: FreeText,
    adjustmentAmount: Type.Optional(SignedMoney),
  },
  {
    description: `An admin resolved a dispute; with adjustmentAmount a manually_adjusted delta carries the amount.${NOT_A_DELTA}`,
  },
);
export type DisputeResolvedData = Static<typeof DisputeResolvedData>;

export const PeriodStatusChangedData = Type.Object(
  {
    ...STATEMENT_VERSION_FIELDS,
    by: Id,
  },
  {
    description: `One rep's statement of the period was frozen (closed) or opened again (reopened); one event per statement.${NOT_A_DELTA}`,
  },
);
export type PeriodStatusChangedData = Static<typeof PeriodStatusChangedData>;

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
  defineEvent({
    type: 'pacer.commission.prior_period_adjusted.v1',
    summary:
      "A change to a closed period's statement, booked in the rep's open period (periodKey) citing the closed one (closedPeriodKey).",
    schema: PriorPeriodAdjustedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.manually_adjusted.v1',
    summary: 'An admin posted an amount by hand (manual_adjustment line), with the reason.',
    schema: ManuallyAdjustedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.statement_approved.v1',
    summary: 'A statement version was approved (not a delta).',
    schema: StatementApprovedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.payout.v1',
    summary: "A closed period's statement was paid (not a delta; one per rep and currency).",
    schema: CommissionPayoutData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.deal_pending_approval.v1',
    summary: 'A deal recorded by its rep waits for approval before it pays (not a delta).',
    schema: DealPendingApprovalData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.deal_approved.v1',
    summary: 'A pending deal was approved and pays (not a delta).',
    schema: DealDecidedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.deal_rejected.v1',
    summary: 'A pending deal was rejected and never pays (not a delta).',
    schema: DealDecidedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.dispute_opened.v1',
    summary: 'A rep disputed a statement line (not a delta).',
    schema: DisputeOpenedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.dispute_resolved.v1',
    summary: 'An admin resolved a dispute, with or without an adjustment (not a delta).',
    schema: DisputeResolvedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.period_closed.v1',
    summary: "A rep's statement of the period was closed and frozen (not a delta; one per statement).",
    schema: PeriodStatusChangedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.commission.period_reopened.v1',
    summary: "A rep's closed statement of the period was reopened by an admin (not a delta; one per statement).",
    schema: PeriodStatusChangedData,
    ...byRep,
  }),
] as const;

/** The event types on `pacer.commissions.v1` whose `amount`s sum to a statement's total (SPEC §6). */
export const COMMISSION_DELTA_TYPES: readonly string[] = [
  'pacer.commission.earned.v1',
  'pacer.commission.adjusted.v1',
  'pacer.commission.spiff_awarded.v1',
  'pacer.commission.cap_applied.v1',
  'pacer.commission.clawed_back.v1',
  'pacer.commission.prior_period_adjusted.v1',
  'pacer.commission.manually_adjusted.v1',
];

/** Whether an event type on `pacer.commissions.v1` is a ledger delta (counts toward a statement total). */
export function isCommissionDelta(type: string): boolean {
  return COMMISSION_DELTA_TYPES.includes(type);
}
