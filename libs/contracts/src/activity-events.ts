import { Type, type Static } from '@sinclair/typebox';
import { Decimal } from 'decimal.js';
import { defineEvent, type ContractProblem } from './event-definition';
import { activityKey } from './message-keys';
import { TOPICS } from './topics';
import {
  Currency,
  described,
  FREE_TEXT_MAX_LENGTH,
  Id,
  Instant,
  INT_MAX,
  LocalDate,
  Money,
  Probability,
  Share,
  StringEnum,
} from './wire-formats';

/**
 * The limits of an activity's fields beyond their wire formats (SPEC §3), read by these schemas and
 * by activity-ingestion's request DTOs alike. Lead sources and stage names are short labels; a
 * reason is free text.
 */
export const ACTIVITY_LIMITS = {
  sourceMaxLength: 200,
  toStageMaxLength: 200,
  reasonMaxLength: FREE_TEXT_MAX_LENGTH,
  creditsMaxItems: 100,
  productsMaxItems: 1000,
  maxInt: INT_MAX,
} as const;

/** The ten activity kinds of SPEC §3; `data.kind` and the middle of the CloudEvents type. */
export const ACTIVITY_KINDS = [
  'call_logged',
  'email_sent',
  'meeting_scheduled',
  'meeting_held',
  'lead_created',
  'opportunity_created',
  'opportunity_stage_changed',
  'deal_won',
  'deal_lost',
  'deal_cancelled',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ActivityKindSchema = StringEnum(ACTIVITY_KINDS);

export const CALL_OUTCOMES = ['connected', 'voicemail', 'no_answer'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The CloudEvents type of an activity kind: `pacer.activity.<kind>.v1`. */
export function activityEventType<K extends ActivityKind>(kind: K): `pacer.activity.${K}.v1` {
  return `pacer.activity.${kind}.v1`;
}

function activityFields<const K extends ActivityKind>(kind: K) {
  return {
    activityId: described(Id, "The client's idempotency key, unique per tenant."),
    kind: Type.Literal(kind),
    repId: Id,
    occurredAt: described(Instant, 'When it happened in the world; decides its KPI and commission periods.'),
  };
}

export const CallLoggedData = Type.Object({
  ...activityFields('call_logged'),
  outcome: StringEnum(CALL_OUTCOMES),
  durationSec: Type.Integer({ minimum: 0, maximum: ACTIVITY_LIMITS.maxInt }),
});
export type CallLoggedData = Static<typeof CallLoggedData>;

export const EmailSentData = Type.Object({ ...activityFields('email_sent') });
export type EmailSentData = Static<typeof EmailSentData>;

export const MeetingScheduledData = Type.Object({
  ...activityFields('meeting_scheduled'),
  meetingId: Id,
  scheduledFor: Instant,
});
export type MeetingScheduledData = Static<typeof MeetingScheduledData>;

export const MeetingHeldData = Type.Object({ ...activityFields('meeting_held'), meetingId: Id });
export type MeetingHeldData = Static<typeof MeetingHeldData>;

export const LeadCreatedData = Type.Object({
  ...activityFields('lead_created'),
  leadId: Id,
  source: Type.Optional(Type.String({ maxLength: ACTIVITY_LIMITS.sourceMaxLength })),
});
export type LeadCreatedData = Static<typeof LeadCreatedData>;

/**
 * Optional forecast fields of an opportunity (SPEC §3): on each field the value of the latest
 * `opportunity_created`/`opportunity_stage_changed` that carries it (by occurredAt, then activityId)
 * is the opportunity's current one.
 */
const forecastFields = {
  expectedCloseDate: Type.Optional(
    described(LocalDate, 'When the opportunity is expected to close, a calendar date in the tenant time zone (at most ten years after receipt).'),
  ),
  probability: Type.Optional(described(Probability, 'Chance of winning, a decimal string in [0, 1] (forecastWeighted).')),
};

export const OpportunityCreatedData = Type.Object({
  ...activityFields('opportunity_created'),
  opportunityId: Id,
  amount: Money,
  currency: Currency,
  ...forecastFields,
});
export type OpportunityCreatedData = Static<typeof OpportunityCreatedData>;

export const OpportunityStageChangedData = Type.Object({
  ...activityFields('opportunity_stage_changed'),
  opportunityId: Id,
  toStage: Type.String({ minLength: 1, maxLength: ACTIVITY_LIMITS.toStageMaxLength }),
  amount: Type.Optional(described(Money, "The opportunity's new amount (forecastPipeline); pipelineCreated keeps the created amount.")),
  ...forecastFields,
});
export type OpportunityStageChangedData = Static<typeof OpportunityStageChangedData>;

/** One rep's part of a won deal. */
export const DealCredit = Type.Object({ repId: Id, share: Share });
export type DealCredit = Static<typeof DealCredit>;

/** A product line of a won deal; Pacer stores it for BI and computes nothing from it. */
export const DealProduct = Type.Object({
  productId: Id,
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: ACTIVITY_LIMITS.maxInt })),
  amount: Type.Optional(Money),
});
export type DealProduct = Static<typeof DealProduct>;

export const DealWonData = Type.Object({
  ...activityFields('deal_won'),
  dealId: Id,
  opportunityId: Id,
  amount: Money,
  currency: Currency,
  openedAt: Type.Optional(Instant),
  credits: Type.Optional(Type.Array(DealCredit, { minItems: 1, maxItems: ACTIVITY_LIMITS.creditsMaxItems })),
  products: Type.Optional(Type.Array(DealProduct, { maxItems: ACTIVITY_LIMITS.productsMaxItems })),
});
export type DealWonData = Static<typeof DealWonData>;

export const DealLostData = Type.Object({
  ...activityFields('deal_lost'),
  dealId: Id,
  opportunityId: Id,
  reason: Type.Optional(Type.String({ maxLength: ACTIVITY_LIMITS.reasonMaxLength })),
});
export type DealLostData = Static<typeof DealLostData>;

export const DealCancelledData = Type.Object({
  ...activityFields('deal_cancelled'),
  dealId: Id,
  reason: Type.Optional(Type.String({ maxLength: ACTIVITY_LIMITS.reasonMaxLength })),
});
export type DealCancelledData = Static<typeof DealCancelledData>;

/** Any activity, as the flat object of the API and the `data` of its event. */
export const Activity = Type.Union([
  CallLoggedData,
  EmailSentData,
  MeetingScheduledData,
  MeetingHeldData,
  LeadCreatedData,
  OpportunityCreatedData,
  OpportunityStageChangedData,
  DealWonData,
  DealLostData,
  DealCancelledData,
]);
export type Activity = Static<typeof Activity>;

/**
 * A void carries a full copy of the activity it retracts, so a consumer can undo its effect (a
 * connect, a credited revenue split) without having kept the original. `voidedKind` and
 * `voidedOccurredAt` repeat two of its fields for consumers that only route on them; they are not
 * named `kind`/`occurredAt` so code that switches on `data.kind` can never count a void as an activity.
 */
export const ActivityVoidedData = Type.Object({
  activityId: Id,
  repId: Id,
  reason: Type.String({ minLength: 1 }),
  voidedKind: ActivityKindSchema,
  voidedOccurredAt: Instant,
  voidedActivity: Activity,
});
export type ActivityVoidedData = Static<typeof ActivityVoidedData>;

function creditsProblem(data: DealWonData): ContractProblem | undefined {
  if (data.credits === undefined) return undefined;
  const reps = new Set(data.credits.map((c) => c.repId));
  if (reps.size !== data.credits.length) {
    return { path: '/credits', message: 'must name each rep at most once' };
  }
  const total = data.credits.reduce((sum, c) => sum.plus(c.share), new Decimal(0));
  if (!total.equals(1)) {
    return { path: '/credits', message: `shares must sum to exactly 1 (they sum to ${total.toString()})` };
  }
  return undefined;
}

function voidProblem(data: ActivityVoidedData): ContractProblem | undefined {
  const voided = data.voidedActivity;
  if (voided.activityId !== data.activityId) {
    return { path: '/voidedActivity/activityId', message: 'must equal activityId' };
  }
  if (voided.repId !== data.repId) return { path: '/voidedActivity/repId', message: 'must equal repId' };
  if (voided.kind !== data.voidedKind) {
    return { path: '/voidedActivity/kind', message: 'must equal voidedKind' };
  }
  if (voided.occurredAt !== data.voidedOccurredAt) {
    return { path: '/voidedActivity/occurredAt', message: 'must equal voidedOccurredAt' };
  }
  return undefined;
}

const byRep = {
  topic: TOPICS.activities,
  subject: (data: { repId: string }) => data.repId,
  key: (data: { repId: string }, tenantId: string) => activityKey(tenantId, data.repId),
};

/** Activity event definitions; every one is keyed and subject-ed by its rep. */
export const ACTIVITY_EVENTS = [
  defineEvent({
    type: 'pacer.activity.call_logged.v1',
    summary: 'A rep logged a call and its outcome.',
    schema: CallLoggedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.email_sent.v1',
    summary: 'A rep sent an email.',
    schema: EmailSentData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.meeting_scheduled.v1',
    summary: 'A rep booked a meeting; it counts when booked (occurredAt), not when it is due.',
    schema: MeetingScheduledData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.meeting_held.v1',
    summary: 'A meeting took place.',
    schema: MeetingHeldData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.lead_created.v1',
    summary: 'A rep created a lead.',
    schema: LeadCreatedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.opportunity_created.v1',
    summary: 'A rep opened an opportunity; its amount is pipeline created.',
    schema: OpportunityCreatedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.opportunity_stage_changed.v1',
    summary: 'An opportunity moved to another stage, optionally with a new amount, expected close date and probability.',
    schema: OpportunityStageChangedData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.deal_won.v1',
    summary: 'A deal was won; repId is the primary rep, credits (shares summing to 1) split its revenue.',
    schema: DealWonData,
    ...byRep,
    check: creditsProblem,
  }),
  defineEvent({
    type: 'pacer.activity.deal_lost.v1',
    summary: 'A deal was lost.',
    schema: DealLostData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.deal_cancelled.v1',
    summary: 'A won deal was cancelled (refund, churn before go-live); it reverses the win.',
    schema: DealCancelledData,
    ...byRep,
  }),
  defineEvent({
    type: 'pacer.activity.voided.v1',
    summary: 'A wrongly recorded activity was retracted; everything must come out as if it never happened.',
    schema: ActivityVoidedData,
    ...byRep,
    check: voidProblem,
  }),
] as const;
