import { Type, type Static, type TNumber, type TSchema } from '@sinclair/typebox';
import { defineEvent } from './event-definition';
import { KPI_METRIC_VALUE_KINDS, KPI_METRICS, KpiMetricSchema, type KpiMetric } from './kpi-metrics';
import { sprintKey } from './message-keys';
import { TOPICS } from './topics';
import { Id, LocalDate, Money, StringEnum, TimeZone } from './wire-formats';

export const SPRINT_ITEM_STATUSES = ['todo', 'doing', 'done'] as const;
export type SprintItemStatus = (typeof SPRINT_ITEM_STATUSES)[number];
export const SprintItemStatusSchema = StringEnum(SPRINT_ITEM_STATUSES);

export const SprintPlannedData = Type.Object({
  sprintId: Id,
  teamId: Id,
  startDate: LocalDate,
  lengthDays: Type.Integer({ minimum: 1, maximum: 366 }),
  goal: Type.String(),
  // The tenant's zone when the sprint was planned, for consumers without roster state. Boundaries
  // still follow the tenant's current settings: a settings change restates sprints like every period.
  timezone: Type.Optional(TimeZone),
});
export type SprintPlannedData = Static<typeof SprintPlannedData>;

export const SprintStartedData = Type.Object({ sprintId: Id, teamId: Id });
export type SprintStartedData = Static<typeof SprintStartedData>;

export const SprintClosedData = Type.Object({ sprintId: Id, teamId: Id });
export type SprintClosedData = Static<typeof SprintClosedData>;

/** Target per KPI metric name; a metric not listed has no target. */
export const SprintTargets = Type.Partial(
  Type.Object(
    // Spelled out per metric (not a Record keyed by an enum) so the published schema lists the names.
    Object.fromEntries(KPI_METRICS.map((metric) => [metric, Type.Number({ minimum: 0 })])) as Record<
      KpiMetric,
      TNumber
    >,
  ),
);
export type SprintTargets = Static<typeof SprintTargets>;

function targetValueSchema(metric: KpiMetric): TSchema {
  const kind = KPI_METRIC_VALUE_KINDS[metric];
  if (kind === 'money' || kind === 'moneyOrNull') return Money;
  return kind === 'count' ? Type.Integer({ minimum: 0 }) : Type.Number({ minimum: 0 });
}

/**
 * The same targets, each in its metric's own representation (SPEC §4): money as a decimal string,
 * counts and ratios as numbers. Added beside `targets`, which keeps plain numbers for the consumers
 * that already read it.
 */
export const SprintTargetValues = Type.Partial(
  Type.Object(Object.fromEntries(KPI_METRICS.map((metric) => [metric, targetValueSchema(metric)]))),
);
export type SprintTargetValues = Partial<Record<KpiMetric, number | string>>;

export const SprintItem = Type.Object({
  itemId: Id,
  title: Type.String({ minLength: 1 }),
  opportunityId: Type.Optional(Id),
  dueDate: Type.Optional(LocalDate),
});
export type SprintItem = Static<typeof SprintItem>;

// The whole commitment, replacing the rep's previous one (the API is a PUT). Items already on the
// board keep their status; new ones start as `todo`.
export const CommitmentSetData = Type.Object({
  sprintId: Id,
  teamId: Id,
  repId: Id,
  /** Every target as a number (money too): the v1 form BI reads. */
  targets: SprintTargets,
  /** The targets in their own representation (money as decimal strings); absent from older events. */
  targetValues: Type.Optional(SprintTargetValues),
  items: Type.Array(SprintItem, { maxItems: 1000 }),
});
export type CommitmentSetData = Static<typeof CommitmentSetData>;

export const ItemStatusChangedData = Type.Object({
  sprintId: Id,
  teamId: Id,
  itemId: Id,
  repId: Id,
  status: SprintItemStatusSchema,
});
export type ItemStatusChangedData = Static<typeof ItemStatusChangedData>;

export const ItemsCarriedOverData = Type.Object({
  fromSprintId: Id,
  toSprintId: Id,
  teamId: Id,
  itemIds: Type.Array(Id, { minItems: 1 }),
});
export type ItemsCarriedOverData = Static<typeof ItemsCarriedOverData>;

/** Planned vs actual for one metric; `actual` is the KPI service's sprint-period value, as a number. */
export const SprintTargetResult = Type.Object({
  metric: KpiMetricSchema,
  planned: Type.Number({ minimum: 0 }),
  actual: Type.Union([Type.Number(), Type.Null()]),
  ratio: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: 'actual / planned; null when planned is 0 or there is no actual.',
  }),
});
export type SprintTargetResult = Static<typeof SprintTargetResult>;

const sprintOutcomeFields = {
  targets: Type.Array(SprintTargetResult),
  completionRatio: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  itemsTotal: Type.Integer({ minimum: 0 }),
  itemsDone: Type.Integer({ minimum: 0 }),
  itemsCarriedOver: Type.Integer({ minimum: 0 }),
};

export const SprintRepReport = Type.Object({ repId: Id, ...sprintOutcomeFields });
export type SprintRepReport = Static<typeof SprintRepReport>;

export const SprintReportPublishedData = Type.Object({
  sprintId: Id,
  teamId: Id,
  startDate: LocalDate,
  lengthDays: Type.Integer({ minimum: 1, maximum: 366 }),
  reps: Type.Array(SprintRepReport),
  team: Type.Object(sprintOutcomeFields),
});
export type SprintReportPublishedData = Static<typeof SprintReportPublishedData>;

const bySprint = {
  topic: TOPICS.sprints,
  subject: (data: { sprintId: string }) => data.sprintId,
  key: (data: { sprintId: string }, tenantId: string) => sprintKey(tenantId, data.sprintId),
};

/** Sprint event definitions: lifecycle, commitments, items and the closing report. */
export const SPRINT_EVENTS = [
  defineEvent({
    type: 'pacer.sprint.planned.v1',
    summary: 'A team planned a sprint covering [startDate, startDate + lengthDays) in the tenant time zone.',
    schema: SprintPlannedData,
    ...bySprint,
  }),
  defineEvent({
    type: 'pacer.sprint.started.v1',
    summary: 'A planned sprint started.',
    schema: SprintStartedData,
    ...bySprint,
  }),
  defineEvent({
    type: 'pacer.sprint.closed.v1',
    summary: 'A sprint closed.',
    schema: SprintClosedData,
    ...bySprint,
  }),
  defineEvent({
    type: 'pacer.sprint.commitment_set.v1',
    summary: "A rep's commitment (metric targets and items) for a sprint was set, replacing any earlier one.",
    schema: CommitmentSetData,
    ...bySprint,
  }),
  defineEvent({
    type: 'pacer.sprint.item_status_changed.v1',
    summary: 'A sprint item moved to todo, doing or done.',
    schema: ItemStatusChangedData,
    ...bySprint,
  }),
  // Keyed by the sprint the items move into: later status changes of those items are keyed by that
  // sprint too, so they land on the same partition after the carry-over.
  defineEvent({
    type: 'pacer.sprint.items_carried_over.v1',
    topic: TOPICS.sprints,
    summary: "Unfinished items of a closed sprint moved to the team's next sprint.",
    schema: ItemsCarriedOverData,
    subject: (data) => data.toSprintId,
    key: (data, tenantId) => sprintKey(tenantId, data.toSprintId),
  }),
  defineEvent({
    type: 'pacer.sprint.report_published.v1',
    summary: 'The report of a closed sprint: planned vs actual per rep and team, completion, items.',
    schema: SprintReportPublishedData,
    ...bySprint,
  }),
] as const;
