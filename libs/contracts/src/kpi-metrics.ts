import { Type, type Static } from '@sinclair/typebox';
import { described, Money, StringEnum } from './wire-formats';

/** KPI scopes (SPEC §5). The `org` scope's id is the tenant id. */
export const KPI_SCOPES = ['rep', 'team', 'org'] as const;
export type KpiScope = (typeof KPI_SCOPES)[number];
export const KpiScopeSchema = StringEnum(KPI_SCOPES);

/** Every KPI metric of SPEC §5, in the order of its table. */
export const KPI_METRICS = [
  'calls',
  'connects',
  'connectRate',
  'emails',
  'meetingsScheduled',
  'meetingsHeld',
  'leadsCreated',
  'opportunitiesCreated',
  'pipelineCreated',
  'dealsWon',
  'dealsLost',
  'revenueWon',
  'winRate',
  'avgDealSize',
  'avgSalesCycleDays',
  'quota',
  'quotaAttainment',
  'callsPerMeeting',
  'revenuePerActivity',
  'forecastPipeline',
  'forecastWeighted',
  'forecastCoverage',
] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];
export const KpiMetricSchema = StringEnum(KPI_METRICS);

/**
 * How each metric's value is written: counts are integers, money is a decimal string, ratios are
 * unrounded numbers; `OrNull` where a zero denominator or a missing quota leaves no value.
 */
export type KpiMetricValueKind = 'count' | 'money' | 'moneyOrNull' | 'numberOrNull';

export const KPI_METRIC_VALUE_KINDS: Readonly<Record<KpiMetric, KpiMetricValueKind>> = {
  calls: 'count',
  connects: 'count',
  connectRate: 'numberOrNull',
  emails: 'count',
  meetingsScheduled: 'count',
  meetingsHeld: 'count',
  leadsCreated: 'count',
  opportunitiesCreated: 'count',
  pipelineCreated: 'money',
  dealsWon: 'count',
  dealsLost: 'count',
  revenueWon: 'money',
  winRate: 'numberOrNull',
  avgDealSize: 'moneyOrNull',
  avgSalesCycleDays: 'numberOrNull',
  quota: 'moneyOrNull',
  quotaAttainment: 'numberOrNull',
  callsPerMeeting: 'numberOrNull',
  revenuePerActivity: 'moneyOrNull',
  forecastPipeline: 'money',
  forecastWeighted: 'money',
  forecastCoverage: 'numberOrNull',
};

const Count = Type.Integer({ minimum: 0 });
const Ratio = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);
const MoneyOrNull = Type.Union([Money, Type.Null()]);

/** The full set of metrics of one KPI snapshot; every metric is always present. */
export const KpiMetrics = Type.Object({
  calls: Count,
  connects: Count,
  connectRate: Ratio,
  emails: Count,
  meetingsScheduled: Count,
  meetingsHeld: Count,
  leadsCreated: Count,
  opportunitiesCreated: Count,
  pipelineCreated: Money,
  dealsWon: Count,
  dealsLost: Count,
  revenueWon: Money,
  winRate: Ratio,
  avgDealSize: MoneyOrNull,
  // Not a ratio: a deal recorded before its `openedAt` makes a negative cycle, and BI should see it.
  avgSalesCycleDays: Type.Union([Type.Number(), Type.Null()]),
  quota: MoneyOrNull,
  quotaAttainment: Ratio,
  callsPerMeeting: Ratio,
  // The four below came later (issue 17): snapshots published before them lack them, so a consumer
  // reading the compacted topic from its start must accept their absence. Pacer always writes them.
  revenuePerActivity: Type.Optional(
    described(MoneyOrNull, 'revenueWon / (calls + emails + meetingsHeld), rounded half-up to cents; null without such activities.'),
  ),
  forecastPipeline: Type.Optional(
    described(Money, 'Current amount of the open opportunities whose current expectedCloseDate falls in the period.'),
  ),
  forecastWeighted: Type.Optional(
    described(Money, 'The same amounts each times its current probability (none counts 0), rounded half-up to cents once.'),
  ),
  forecastCoverage: Type.Optional(described(Ratio, '(revenueWon + forecastWeighted) / quota; null without a quota.')),
});
export type KpiMetrics = Static<typeof KpiMetrics>;
