import {
  KPI_METRICS,
  KpiMetric,
  KpiMetrics,
  Role,
  SprintItemStatus,
  SprintReportPublishedData,
} from '@pacer/contracts';
import { Decimal } from 'decimal.js';
import {
  addMetric,
  isAdditiveMetric,
  isMoneyMetric,
  meanMetric,
  MetricValue,
  metricNumber,
  progressRatio,
  targetValue,
  zeroMetrics,
} from './sprint-metrics';
import { SheetItem, SheetRep, SprintSheet } from './sprint-sheet';
import { orderedTargets } from './sprint-targets';
import { Targets } from './sprint.events';

/** The KPI service's snapshot of one scope for the sprint (or a day), as stored from pacer.kpi.v1. */
export interface ActualsSnapshot {
  metrics: KpiMetrics;
  revision: number;
  asOf: string;
}

/** Planned and actual in the metric's own representation (money as decimal strings). */
export interface TargetResult {
  metric: KpiMetric;
  planned: number | string;
  actual: MetricValue;
  ratio: number | null;
}

export interface SprintOutcome {
  targets: TargetResult[];
  completionRatio: number | null;
  itemsTotal: number;
  itemsDone: number;
  itemsCarriedOver: number;
}

export interface ReportItem {
  itemId: string;
  title: string;
  status: SprintItemStatus;
  addedAfterStart: boolean;
  carriedFrom?: string;
  carriedTo?: string;
}

export interface RepReport extends SprintOutcome {
  repId: string;
  name: string | null;
  role: Role | null;
  /** Targets as they stood at close (the `targets` above are the ones committed at start). */
  finalTargets: Targets;
  itemsAddedAfterStart: number;
  itemsRemovedAfterStart: number;
  items: ReportItem[];
}

/** The frozen report of a closed sprint (the REST document; the event carries its contract subset). */
export interface SprintReport {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  closedAt: string;
  carriedOverTo: string | null;
  /** Newest `asOf` among the KPI snapshots the actuals come from; null when there were none. */
  actualsAsOf: string | null;
  reps: RepReport[];
  team: SprintOutcome;
}

/**
 * Completion ratio (Pacer's definition): the mean over targets with planned > 0 of
 * min(1, actual / planned), a missing actual counting as 0; null when nothing was planned. Capping
 * at 1 keeps one over-achieved metric from hiding a missed one.
 */
export function completionRatio(targets: readonly TargetResult[]): number | null {
  const counted = targets.filter((t) => new Decimal(t.planned).greaterThan(0));
  if (counted.length === 0) return null;
  const sum = counted.reduce((acc, t) => acc + Math.min(1, t.ratio ?? 0), 0);
  return sum / counted.length;
}

/** Per metric: planned vs the snapshot's actual (zero/null before any snapshot). */
export function targetResults(targets: Targets, actuals: Partial<KpiMetrics> | undefined): TargetResult[] {
  const metrics: Partial<KpiMetrics> = actuals ?? zeroMetrics();
  return KPI_METRICS.filter((m) => targets[m] !== undefined).map((metric) => {
    const planned = targetValue(metric, targets[metric] as number | string);
    return {
      metric,
      planned,
      actual: metrics[metric] ?? null,
      ratio: progressRatio(metrics[metric], planned),
    };
  });
}

/** One rep's targets and the KPI actuals they are measured against. */
export interface RepLine {
  targets: Targets;
  actuals: KpiMetrics;
}

/**
 * The team line of SPEC §4, like with like: per metric, only the reps that set a target for it count
 * on both sides. Additive metrics (counts, money) sum those reps' targets and actuals; ratio metrics
 * take the mean of those reps' targets and of their actuals (a team connect rate is not the sum of its
 * reps' rates). The KPI team snapshot counts every member and would compare 158 calls by the whole
 * team with 90 committed by three reps.
 */
export function teamLine(reps: readonly RepLine[]): { targets: Targets; actuals: Partial<KpiMetrics> } {
  const targets: Targets = {};
  const actuals: Record<string, MetricValue> = {};
  for (const metric of KPI_METRICS) {
    const committed = reps.filter((r) => r.targets[metric] !== undefined);
    if (committed.length === 0) continue;
    const wanted = committed.map((r) => r.targets[metric] as number | string);
    if (isAdditiveMetric(metric)) {
      targets[metric] = wanted.reduce<number | string>((sum, v) => addMetric(metric, sum, v), targetValue(metric, 0));
      actuals[metric] = committed.reduce<number | string>(
        (sum, r) => addMetric(metric, sum, r.actuals[metric]),
        targetValue(metric, 0),
      );
    } else {
      targets[metric] = meanMetric(metric, wanted) as number | string;
      const known = committed.map((r) => r.actuals[metric]).filter((v): v is number | string => v !== null);
      actuals[metric] = meanMetric(metric, known);
    }
  }
  return { targets, actuals: actuals as Partial<KpiMetrics> };
}

function itemCounts(
  items: readonly SheetItem[],
): Pick<SprintOutcome, 'itemsTotal' | 'itemsDone' | 'itemsCarriedOver'> {
  const current = items.filter((i) => !i.removed);
  return {
    itemsTotal: current.length,
    itemsDone: current.filter((i) => i.status === 'done').length,
    itemsCarriedOver: current.filter((i) => i.carriedTo !== undefined).length,
  };
}

function repReport(
  rep: SheetRep,
  items: readonly SheetItem[],
  actuals: ActualsSnapshot | undefined,
): RepReport {
  const mine = items.filter((i) => i.repId === rep.repId);
  const current = mine.filter((i) => !i.removed);
  const targets = targetResults(rep.committedTargets ?? {}, actuals?.metrics);
  return {
    repId: rep.repId,
    name: rep.name,
    role: rep.role,
    targets,
    completionRatio: completionRatio(targets),
    ...itemCounts(mine),
    finalTargets: rep.targets,
    itemsAddedAfterStart: current.filter((i) => i.addedAfterStart).length,
    itemsRemovedAfterStart: mine.filter((i) => i.removed).length,
    items: current.map((i) => ({
      itemId: i.itemId,
      title: i.title,
      status: i.status,
      addedAfterStart: i.addedAfterStart,
      ...(i.carriedFrom !== undefined ? { carriedFrom: i.carriedFrom } : {}),
      ...(i.carriedTo !== undefined ? { carriedTo: i.carriedTo } : {}),
    })),
  };
}

function newestAsOf(snapshots: readonly (ActualsSnapshot | undefined)[]): string | null {
  let best: { ms: number; asOf: string } | null = null;
  for (const s of snapshots) {
    if (!s) continue;
    const ms = Date.parse(s.asOf);
    if (!best || ms > best.ms) best = { ms, asOf: s.asOf };
  }
  return best?.asOf ?? null;
}

export interface BuildReportInput {
  sheet: SprintSheet;
  closedAt: string;
  carriedOverTo: string | null;
  repActuals: ReadonlyMap<string, ActualsSnapshot>;
}

/**
 * The report of a sprint as it closes: planned (the targets committed at start) vs the KPI service's
 * sprint actuals known at that moment, per rep and for the team. It is frozen: activity recorded
 * after the close does not change it.
 */
export function buildSprintReport(input: BuildReportInput): SprintReport {
  const { sheet } = input;
  const reps = sheet.reps.map((rep) => repReport(rep, sheet.items, input.repActuals.get(rep.repId)));
  const line = teamLine(
    sheet.reps.map((r) => ({
      targets: r.committedTargets ?? {},
      actuals: input.repActuals.get(r.repId)?.metrics ?? zeroMetrics(),
    })),
  );
  const teamResults = targetResults(line.targets, line.actuals);
  return {
    sprintId: sheet.sprintId,
    teamId: sheet.teamId,
    startDate: sheet.startDate,
    lengthDays: sheet.lengthDays,
    goal: sheet.goal,
    closedAt: input.closedAt,
    carriedOverTo: input.carriedOverTo,
    actualsAsOf: newestAsOf([...input.repActuals.values()]),
    reps,
    team: { targets: teamResults, completionRatio: completionRatio(teamResults), ...itemCounts(sheet.items) },
  };
}

function resultInWireForm(t: TargetResult): TargetResult {
  return {
    ...t,
    planned: targetValue(t.metric, t.planned),
    actual: t.actual === null || !isMoneyMetric(t.metric) ? t.actual : targetValue(t.metric, t.actual),
  };
}

/**
 * A stored report with money in its wire form: reports frozen before targets kept their
 * representation hold money planned/actual values as numbers.
 */
export function reportInWireForm(report: SprintReport): SprintReport {
  return {
    ...report,
    reps: report.reps.map((r) => ({
      ...r,
      targets: r.targets.map(resultInWireForm),
      finalTargets: orderedTargets(r.finalTargets),
    })),
    team: { ...report.team, targets: report.team.targets.map(resultInWireForm) },
  };
}

// The v1 report event predates money as decimal strings and BI reads its planned/actual as numbers.
function outcomeOf(o: SprintOutcome): SprintReportPublishedData['team'] {
  return {
    targets: o.targets.map(({ metric, planned, actual, ratio }) => ({
      metric,
      planned: new Decimal(planned).toNumber(),
      actual: metricNumber(actual),
      ratio,
    })),
    completionRatio: o.completionRatio,
    itemsTotal: o.itemsTotal,
    itemsDone: o.itemsDone,
    itemsCarriedOver: o.itemsCarriedOver,
  };
}

/** The contract subset of a report, for `pacer.sprint.report_published.v1`. */
export function reportPublishedData(report: SprintReport): SprintReportPublishedData {
  return {
    sprintId: report.sprintId,
    teamId: report.teamId,
    startDate: report.startDate,
    lengthDays: report.lengthDays,
    reps: report.reps.map((r) => ({ repId: r.repId, ...outcomeOf(r) })),
    team: outcomeOf(report.team),
  };
}
