import { KPI_METRICS, KpiMetric, KpiMetrics } from '@pacer/contracts';
import { SprintDay } from '../calendar/sprint-calendar';
import { MembershipSegment, segmentsOverlapping } from '../team/membership';
import { addMetric, isAdditiveMetric, zeroOf } from './sprint-metrics';
import { Targets } from './sprint.events';

export type MetricTotals = Partial<Record<KpiMetric, number | string>>;

export interface BurnupDay {
  date: string;
  /**
   * Cumulative team total from the sprint's first day through this one, over the reps that target
   * each metric (the team line's rule), so it reads against the committed line.
   */
  team: MetricTotals;
  /** Cumulative per rep, keyed by rep id. */
  reps: Record<string, MetricTotals>;
}

export interface Burnup {
  /** The additive metrics that have a target; ratio metrics are not summed over days. */
  metrics: KpiMetric[];
  days: BurnupDay[];
}

/** The additive metrics any rep targets (current or committed), in KPI_METRICS order. */
export function burnupMetrics(targets: readonly Targets[]): KpiMetric[] {
  return KPI_METRICS.filter((m) => isAdditiveMetric(m) && targets.some((t) => t[m] !== undefined));
}

export interface BurnupInput {
  metrics: readonly KpiMetric[];
  /** The sprint days to show (the elapsed ones for a running sprint). */
  days: readonly SprintDay[];
  repIds: readonly string[];
  /** The team's membership segments: a rep's day counts only if the rep was a member at some moment of it. */
  memberships: readonly MembershipSegment[];
  /** The KPI service's `day` snapshot of a rep, if any. */
  daily: (repId: string, date: string) => KpiMetrics | undefined;
  /** Whether the rep has a target for the metric: only those reps count in the team series. */
  targets: (repId: string, metric: KpiMetric) => boolean;
}

/**
 * Burnup from the KPI service's daily rep snapshots: per rep and for the team, the cumulative sum of
 * each additive target metric over the sprint's days. The team series sums only the reps that target
 * the metric, like the board's team line (SPEC §4): a member without a calls target would otherwise
 * lift the actual line above what the committed line was ever meant to measure. Days outside a rep's membership add nothing, so
 * the series follows the sprint actuals' team attribution at day granularity.
 */
export function buildBurnup(input: BurnupInput): Burnup {
  const running = new Map<string, MetricTotals>();
  for (const repId of input.repIds) {
    running.set(repId, Object.fromEntries(input.metrics.map((m) => [m, zeroOf(m)])));
  }
  const days: BurnupDay[] = [];
  for (const day of input.days) {
    const team: MetricTotals = Object.fromEntries(input.metrics.map((m) => [m, zeroOf(m)]));
    const reps: Record<string, MetricTotals> = {};
    for (const repId of input.repIds) {
      const totals = running.get(repId) as MetricTotals;
      const member =
        segmentsOverlapping(
          input.memberships.filter((s) => s.repId === repId),
          day.start,
          day.end,
        ).length > 0;
      const snapshot = member ? input.daily(repId, day.date) : undefined;
      for (const metric of input.metrics) {
        if (snapshot) totals[metric] = addMetric(metric, totals[metric], snapshot[metric]);
        if (input.targets(repId, metric)) team[metric] = addMetric(metric, team[metric], totals[metric]);
      }
      reps[repId] = { ...totals };
    }
    days.push({ date: day.date, team, reps });
  }
  return { metrics: [...input.metrics], days };
}
