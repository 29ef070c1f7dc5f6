import Decimal from 'decimal.js';
import { KPI_METRIC_VALUE_KINDS, KpiMetric } from '@pacer/contracts';
import { formatMoney } from './money-format';
import { Notification, NotificationFact } from './notification';

/** SPEC §9: behind pace when actual / target < PACE_FACTOR × the elapsed share of the sprint. */
export const PACE_FACTOR = new Decimal('0.8');
/** The check runs once, at the midpoint, so the elapsed share is one half by definition. */
export const MIDPOINT_SHARE = new Decimal('0.5');

/**
 * Metrics that accumulate over a sprint, for which "half the time gone, 40 % done" means something.
 * Ratios (connectRate, winRate, …), averages and point-in-time amounts (quota, forecasts) are not
 * paced: half-way through a sprint a 30 % win rate is not "behind" a 50 % target by elapsed time.
 */
export const PACED_METRICS: readonly KpiMetric[] = (Object.keys(KPI_METRIC_VALUE_KINDS) as KpiMetric[]).filter(
  (metric) => KPI_METRIC_VALUE_KINDS[metric] === 'count' || metric === 'pipelineCreated' || metric === 'revenueWon',
);

export interface BehindPace {
  metric: KpiMetric;
  /** As given (numbers for counts, decimal strings for money). */
  target: string;
  actual: string;
  /** actual / target, rounded to 4 places for display. */
  ratio: string;
  money: boolean;
}

function decimal(value: unknown): Decimal | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  try {
    const d = new Decimal(value);
    return d.isFinite() ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The targets a rep is behind pace on at `share` of the sprint, given their sprint KPIs (`metrics`,
 * absent when no snapshot arrived: nothing done yet counts as zero).
 */
export function behindPace(
  targets: Readonly<Record<string, unknown>>,
  metrics: Readonly<Record<string, unknown>> | undefined,
  share: Decimal = MIDPOINT_SHARE,
): BehindPace[] {
  const behind: BehindPace[] = [];
  for (const metric of PACED_METRICS) {
    const target = decimal(targets[metric]);
    if (target === undefined || target.lte(0)) continue;
    const actual = decimal(metrics?.[metric]) ?? new Decimal(0);
    if (actual.lt(target.times(PACE_FACTOR).times(share))) {
      behind.push({
        metric,
        target: target.toString(),
        actual: actual.toString(),
        ratio: actual.div(target).toDecimalPlaces(4).toString(),
        money: KPI_METRIC_VALUE_KINDS[metric] === 'money',
      });
    }
  }
  return behind;
}

export interface PaceContext {
  tenantId: string;
  sprintId: string;
  team: { id: string; name?: string };
  rep: { id: string; name?: string };
  /** The sprint's midpoint instant (the moment the check is about). */
  midpointAt: string;
  /** The currency amounts are shown in; KPI money is summed as given, whatever its currency. */
  currency?: string;
}

/** One notification per rep and target (the once-per-sprint-rep-and-target rule is the dedupe key's). */
export function behindPaceNotification(item: BehindPace, ctx: PaceContext): Notification {
  const who = ctx.rep.name ?? ctx.rep.id;
  const show = (v: string): string => (item.money ? formatMoney(v, ctx.currency ?? '') : v);
  const percent = new Decimal(item.ratio).times(100).toDecimalPlaces(0).toString();
  const facts: NotificationFact[] = [
    { label: 'Rep', value: who },
    { label: 'Team', value: ctx.team.name ?? ctx.team.id },
    { label: 'Metric', value: item.metric },
    { label: 'Done / target', value: `${show(item.actual)} / ${show(item.target)} (${percent} %)` },
  ];
  return {
    type: 'behind_pace',
    tenantId: ctx.tenantId,
    sourceEventId: ctx.sprintId,
    occurredAt: ctx.midpointAt,
    rep: ctx.rep,
    teams: [ctx.team],
    title: `${who} is behind pace at the sprint's midpoint: ${item.metric} ${show(item.actual)} of ${show(item.target)} (${percent} %)`,
    facts,
    data: { sprintId: ctx.sprintId, metric: item.metric, target: item.target, actual: item.actual, ratio: item.ratio },
  };
}
